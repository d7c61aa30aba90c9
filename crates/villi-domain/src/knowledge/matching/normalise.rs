//! Turning a typed medication name into a lookup key.

use crate::intake::Route;

/// Words that describe dose, form, release or schedule rather than the drug.
const NOISE: &[&str] = &[
    "mg",
    "mcg",
    "ug",
    "µg",
    "g",
    "ml",
    "iu",
    "units",
    "unit",
    "tablet",
    "tablets",
    "tab",
    "tabs",
    "capsule",
    "capsules",
    "cap",
    "caps",
    "caplet",
    "caplets",
    "softgel",
    "softgels",
    "ec",
    "er",
    "xr",
    "sr",
    "dr",
    "mr",
    "xl",
    "la",
    "cr",
    "cd",
    "ds",
    "odt",
    "xl",
    "extended",
    "release",
    "delayed",
    "modified",
    "prolonged",
    "controlled",
    "sustained",
    "oral",
    "orally",
    "solution",
    "suspension",
    "syrup",
    "liquid",
    "drops",
    "inhaler",
    "inh",
    "inhaled",
    "puffer",
    "spray",
    "nasal",
    "cream",
    "ointment",
    "gel",
    "lotion",
    "patch",
    "patches",
    "injection",
    "injections",
    "inj",
    "pen",
    "sachet",
    "sachets",
    "powder",
    "chewable",
    "dispersible",
    "effervescent",
    "film",
    "coated",
    "gastro",
    "resistant",
    "enteric",
    "once",
    "twice",
    "daily",
    "weekly",
    "od",
    "bd",
    "bid",
    "tid",
    "qd",
    "qds",
    "tds",
    "prn",
    "otc",
    "hr",
    "hour",
    "hours",
    "per",
    "day",
    "a",
    "x",
    "strength",
    "suppository",
    "suppositories",
    "pessary",
    "enema",
    "generic",
    "brand",
    "dose",
    "doses",
    "of",
    "the",
    "my",
    "mouth",
];

/// Salt and hydrate words stripped in a second lookup pass ("metformin
/// hydrochloride" is metformin); kept in the first pass so that names like
/// "magnesium hydroxide" or "sodium picosulfate" still match exactly.
const SALTS: &[&str] = &[
    "sodium",
    "disodium",
    "potassium",
    "magnesium",
    "calcium",
    "hydrochloride",
    "hcl",
    "hydrobromide",
    "hyclate",
    "monohydrate",
    "dihydrate",
    "trihydrate",
    "hemihydrate",
    "maleate",
    "besylate",
    "besilate",
    "mesylate",
    "mesilate",
    "succinate",
    "tartrate",
    "fumarate",
    "citrate",
    "phosphate",
    "sulfate",
    "sulphate",
    "acetate",
    "bromide",
    "propionate",
    "dipropionate",
    "furoate",
    "valerate",
    "mofetil",
    "medoxomil",
    "axetil",
    "lysine",
    "arginine",
    "xinafoate",
];

/// Lower-cases, folds accents, drops punctuation, numbers, units and dose-form
/// words: "Nexium 40mg tablets" becomes "nexium".
pub fn normalise(name: &str) -> String {
    tokens(name)
        .into_iter()
        .filter(|t| !is_noise(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`normalise`], then without salt and hydrate words.
pub fn strip_salts(normalised: &str) -> String {
    normalised
        .split(' ')
        .filter(|t| !SALTS.contains(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The route suggested by words in the typed name ("fluticasone inhaler").
pub fn route_hint(name: &str) -> Option<Route> {
    for token in tokens(name) {
        let route = match token.as_str() {
            "inhaler" | "inh" | "inhaled" | "puffer" | "evohaler" | "accuhaler" | "turbohaler"
            | "nebuliser" | "nebulizer" => Route::Inhaled,
            "nasal" => Route::Nasal,
            "cream" | "ointment" | "gel" | "lotion" | "topical" => Route::Topical,
            "injection" | "injections" | "inj" | "pen" | "injectable" | "iv" | "im" => {
                Route::Injection
            }
            "patch" | "patches" | "transdermal" => Route::Transdermal,
            "suppository" | "suppositories" | "enema" | "foam" | "rectal" => Route::Rectal,
            "pessary" | "vaginal" => Route::Vaginal,
            "tablet" | "tablets" | "tab" | "tabs" | "capsule" | "capsules" | "caps" | "oral"
            | "orally" | "syrup" | "caplet" | "caplets" => Route::Oral,
            _ => continue,
        };
        return Some(route);
    }
    None
}

/// Splits a typed name into parts of a combination ("amoxicillin/clavulanate",
/// "paracetamol + codeine"); parts that are only a dose ("30/500") drop out.
pub fn combination_parts(name: &str) -> Vec<String> {
    let lowered = name.to_lowercase();
    let mut parts = vec![lowered];
    for sep in ["+", "/", "&", ",", ";", " and ", " with ", " plus "] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    parts
        .iter()
        .map(|p| normalise(p))
        .filter(|p| !p.is_empty())
        .collect()
}

fn tokens(name: &str) -> Vec<String> {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(s) => folded.push_str(s),
            None if c.is_alphanumeric() => folded.push(c),
            None => folded.push(' '),
        }
    }
    folded.split_whitespace().map(str::to_owned).collect()
}

/// Common accented letters to ASCII, so "omeprazól" and "estradiol" match.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ß' => "ss",
        _ => return None,
    })
}

/// Numbers, doses such as "20mg" or "24hr", and dose-form words.
fn is_noise(token: &str) -> bool {
    if NOISE.contains(&token) {
        return true;
    }
    let starts_with_digit = token.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !starts_with_digit {
        return false;
    }
    let unit: String = token.chars().skip_while(|c| c.is_ascii_digit()).collect();
    unit.is_empty() || NOISE.contains(&unit.as_str()) || unit == "mcg" || unit == "k"
}
