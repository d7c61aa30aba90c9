//! The stool-marker catalogue: data files under `labs/`, embedded at build
//! time and parsed once.
//!
//! Each marker has a stable id, names and per-lab names, an area, a LOINC
//! code only where one is verified (stool-tests.md §2), a default UCUM unit,
//! typical printed ranges per lab with their confidence, the concerning
//! direction, wording for the client and a note for the practitioner, and
//! references. Links between results and the intake live in `links.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use super::area::Area;
use super::links::LinkRule;
use super::report::{Code, MethodKind};

/// The data files, in load order.
const MARKER_FILES: [(&str, &str); 8] = [
    ("lining.toml", include_str!("../../labs/lining.toml")),
    ("commensal.toml", include_str!("../../labs/commensal.toml")),
    (
        "opportunistic.toml",
        include_str!("../../labs/opportunistic.toml"),
    ),
    ("pathogens.toml", include_str!("../../labs/pathogens.toml")),
    ("parasites.toml", include_str!("../../labs/parasites.toml")),
    ("fungi.toml", include_str!("../../labs/fungi.toml")),
    ("digestion.toml", include_str!("../../labs/digestion.toml")),
    (
        "inflammation_metabolic.toml",
        include_str!("../../labs/inflammation_metabolic.toml"),
    ),
];
const REFERENCES: &str = include_str!("../../labs/references.toml");
const LINKS: &str = include_str!("../../labs/links.toml");

/// Which direction of a result is concerning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// Above the range.
    High,
    /// Below the range.
    Low,
    /// Either side of the range.
    Either,
    /// Being detected at all.
    Presence,
}

/// How far a catalogue fact has been checked (stool-tests.md marks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Verified from a named public source.
    Verified,
    /// Restated by a secondary public page.
    Corroborated,
    /// From recollection of sample reports; not verified.
    Unverified,
}

/// A typical range as a lab prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueRange {
    /// Lab or test the range is printed by (e.g. "GI-MAP").
    pub lab: String,
    /// The range as printed.
    pub printed: String,
    /// The unit as printed.
    pub unit: String,
    /// How far the range was checked.
    pub confidence: Confidence,
    /// Where it comes from.
    pub source: String,
}

/// A marker's name at one lab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabName {
    /// The lab or test.
    pub lab: String,
    /// The name it prints.
    pub name: String,
}

/// One catalogue marker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// Stable id (`calprotectin`, `klebsiella_pneumoniae`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names in use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Names particular labs print.
    #[serde(default)]
    pub lab_names: Vec<LabName>,
    /// Area.
    pub area: Area,
    /// LOINC code, only where verified.
    pub loinc: Option<String>,
    /// Usual UCUM unit; `None` for qualitative markers.
    pub default_unit: Option<String>,
    /// Usual method.
    pub method: MethodKind,
    /// Concerning direction.
    pub concerning: Concern,
    /// Typical printed ranges per lab.
    #[serde(default)]
    pub ranges: Vec<CatalogueRange>,
    /// Plain explanation for the client.
    pub client: String,
    /// Note for the practitioner.
    pub practitioner: String,
    /// Reference ids (see `references.toml`).
    #[serde(default)]
    pub references: Vec<String>,
}

/// A literature or documentation reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Stable id.
    pub id: String,
    /// Citation text.
    pub citation: String,
    /// DOI, PMID or address, when known.
    pub identifier: Option<String>,
    /// False when some part of the citation is not yet checked.
    pub verified: bool,
}

/// Why the embedded catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// A data file is not valid TOML for its schema.
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// What is wrong and where.
        message: String,
    },
    /// Two markers claim one id, name or code.
    #[error("{0}")]
    Duplicate(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkerFile {
    marker: Vec<Marker>,
}

/// Words that identify a lab in a report's lab or test name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabAlias {
    /// The lab as catalogue ranges name it.
    pub name: String,
    /// Lower-case fragments that identify it.
    #[serde(rename = "match")]
    pub fragments: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    lab: Vec<LabAlias>,
    reference: Vec<Reference>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkFile {
    link: Vec<LinkRule>,
}

/// The marker catalogue with its references and intake links.
#[derive(Debug)]
pub struct Catalogue {
    markers: Vec<Marker>,
    references: Vec<Reference>,
    labs: Vec<LabAlias>,
    links: Vec<LinkRule>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_loinc: HashMap<String, usize>,
}

impl Catalogue {
    /// The catalogue shipped in the binary, parsed on first use.
    ///
    /// # Panics
    /// Only if the embedded data files are malformed, which the test suite
    /// (`labs_catalogue`) rules out before a build ships.
    pub fn embedded() -> &'static Catalogue {
        match Catalogue::try_embedded() {
            Ok(catalogue) => catalogue,
            Err(e) => panic!("the embedded stool-marker catalogue is invalid: {e}"),
        }
    }

    /// The embedded catalogue, or why it cannot be read.
    pub fn try_embedded() -> Result<&'static Catalogue, &'static CatalogueError> {
        static CATALOGUE: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();
        CATALOGUE
            .get_or_init(|| Catalogue::from_sources(&MARKER_FILES, REFERENCES, LINKS))
            .as_ref()
    }

    /// Builds a catalogue from TOML texts (used by tests with their own data).
    pub fn from_sources(
        marker_files: &[(&str, &str)],
        references: &str,
        links: &str,
    ) -> Result<Catalogue, CatalogueError> {
        let syntax = |file: &str, e: toml::de::Error| CatalogueError::Syntax {
            file: file.to_owned(),
            message: e.to_string(),
        };
        let mut markers = Vec::new();
        for (file, text) in marker_files {
            let parsed: MarkerFile = toml::from_str(text).map_err(|e| syntax(file, e))?;
            markers.extend(parsed.marker);
        }
        let references: ReferenceFile =
            toml::from_str(references).map_err(|e| syntax("references.toml", e))?;
        let links: LinkFile = toml::from_str(links).map_err(|e| syntax("links.toml", e))?;
        let mut catalogue = Catalogue {
            markers,
            references: references.reference,
            labs: references.lab,
            links: links.link,
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            by_loinc: HashMap::new(),
        };
        catalogue.index()?;
        Ok(catalogue)
    }

    fn index(&mut self) -> Result<(), CatalogueError> {
        for (i, marker) in self.markers.iter().enumerate() {
            if self.by_id.insert(marker.id.clone(), i).is_some() {
                return Err(CatalogueError::Duplicate(format!(
                    "marker id {}",
                    marker.id
                )));
            }
            let names = std::iter::once(&marker.name)
                .chain(&marker.aliases)
                .chain(marker.lab_names.iter().map(|l| &l.name))
                .chain(std::iter::once(&marker.id));
            for name in names {
                let key = name_key(name);
                match self.by_name.insert(key.clone(), i) {
                    Some(j) if j != i => {
                        return Err(CatalogueError::Duplicate(format!(
                            "name {name:?} ({key}) is used by {} and {}",
                            self.markers[j].id, marker.id
                        )));
                    }
                    _ => {}
                }
            }
            if let Some(loinc) = &marker.loinc
                && self.by_loinc.insert(loinc.clone(), i).is_some()
            {
                return Err(CatalogueError::Duplicate(format!("LOINC {loinc}")));
            }
        }
        Ok(())
    }

    /// All markers, in file order.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// All references.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// All intake links.
    pub fn links(&self) -> &[LinkRule] {
        &self.links
    }

    /// A marker by id.
    pub fn marker(&self, id: &str) -> Option<&Marker> {
        self.by_id.get(id).map(|&i| &self.markers[i])
    }

    /// A reference by id.
    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.id == id)
    }

    /// A marker by LOINC code.
    pub fn by_loinc(&self, code: &str) -> Option<&Marker> {
        self.by_loinc.get(code.trim()).map(|&i| &self.markers[i])
    }

    /// A marker by printed name, ignoring case, punctuation, spacing and
    /// `spp.`/`group` suffixes.
    pub fn by_name(&self, name: &str) -> Option<&Marker> {
        self.by_name.get(&name_key(name)).map(|&i| &self.markers[i])
    }

    /// Recognises a marker from the code and name a lab sent: a LOINC code
    /// first, then villi's own code (`id`), then the name.
    ///
    /// A LOINC code the catalogue does not hold means the observation is not
    /// one of its stool markers (say a blood count sent in the same message),
    /// so the name is then not consulted: `RBC` with a blood-count LOINC must
    /// not become stool red cells.
    pub fn recognise(&self, code: Option<&Code>, name: &str) -> Option<&Marker> {
        if let Some(code) = code {
            if code.is_loinc() {
                return self.by_loinc(&code.code);
            }
            if let Some(m) = self.marker(&code.code) {
                return Some(m);
            }
        }
        self.by_name(name)
            .or_else(|| code.and_then(|c| self.by_name(&c.code)))
    }

    /// Whether a report's lab or test name (lower-case) belongs to the lab a
    /// catalogue range names.
    pub fn lab_matches(&self, range_lab: &str, report_text: &str) -> bool {
        let own = range_lab.to_lowercase();
        report_text.contains(&own)
            || self
                .labs
                .iter()
                .filter(|l| l.name == range_lab)
                .flat_map(|l| &l.fragments)
                .any(|f| report_text.contains(f.as_str()))
    }

    /// The intake links that mention a marker.
    pub fn links_for<'a>(&'a self, marker: &'a Marker) -> impl Iterator<Item = &'a LinkRule> + 'a {
        self.links.iter().filter(move |l| l.applies_to(marker))
    }
}

/// The lookup key for a marker name: lower-case letters and digits, with
/// `spp`, `sp`, `species` and `group` tokens dropped, `β` (and `ß`, which
/// stands in for it on some German-language reports) as `beta`, and `%` as
/// `percent` so a proportion (% Butyrate) differs from an amount (Butyrate).
pub fn name_key(name: &str) -> String {
    const DROPPED: [&str; 4] = ["spp", "sp", "species", "group"];
    let mut key = String::with_capacity(name.len() + 8);
    let mut token_start = 0;
    let end_token = |key: &mut String, token_start: &mut usize| {
        if DROPPED.contains(&&key[*token_start..]) {
            key.truncate(*token_start);
        }
        *token_start = key.len();
    };
    for c in name.chars() {
        match c {
            'β' | 'ß' => {
                end_token(&mut key, &mut token_start);
                key.push_str("beta");
                end_token(&mut key, &mut token_start);
            }
            '%' => {
                end_token(&mut key, &mut token_start);
                key.push_str("percent");
                end_token(&mut key, &mut token_start);
            }
            c if c.is_ascii_alphanumeric() => key.push(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => key.extend(c.to_lowercase()),
            _ => end_token(&mut key, &mut token_start),
        }
    }
    end_token(&mut key, &mut token_start);
    key
}
