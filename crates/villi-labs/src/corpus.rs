//! A synthetic corpus of ORU^R01 messages for benchmarks and load tests.
//!
//! Messages look like a qPCR stool panel: four OBR sections, about two dozen
//! OBX results in scientific notation, `<dl` values, SN comparators, escaped
//! units and the odd NTE comment. Values come from a fixed-seed generator,
//! so a corpus is reproducible. No real person's data is involved.

use std::fmt::Write;

/// Marker code, name, unit, printed range, typical value exponent.
const ROWS: [(&str, &str, &str, &str, i32); 24] = [
    ("GM-CAMPY", "Campylobacter", "CFU/g", "<1.00e3", 2),
    ("GM-CDA", "C. difficile Toxin A", "CFU/g", "<1.00e3", 2),
    ("GM-CDB", "C. difficile Toxin B", "CFU/g", "<1.00e3", 2),
    ("GM-SALM", "Salmonella", "CFU/g", "<1.00e4", 3),
    ("GM-GIAR", "Giardia", "CFU/g", "<5.00e3", 2),
    ("GM-BLAS", "Blastocystis hominis", "CFU/g", "<2.00e3", 3),
    ("GM-BIFI", "Bifidobacterium spp.", "CFU/g", ">6.70e7", 8),
    ("GM-LACT", "Lactobacillus spp.", "CFU/g", "8.60e5-6.20e8", 7),
    ("GM-ESCH", "Escherichia spp.", "CFU/g", "3.70e6-3.80e9", 8),
    (
        "GM-AKK",
        "Akkermansia muciniphila",
        "CFU/g",
        "1.0e1-5.0e4",
        3,
    ),
    (
        "GM-FAEC",
        "Faecalibacterium prausnitzii",
        "CFU/g",
        "1.00e3-5.00e8",
        6,
    ),
    (
        "GM-BFRA",
        "Bacteroides fragilis",
        "CFU/g",
        "1.60e9-2.50e11",
        10,
    ),
    ("GM-KLEB", "Klebsiella spp.", "CFU/g", "<5.00e3", 3),
    ("GM-KPNE", "Klebsiella pneumoniae", "CFU/g", "<5.00e4", 3),
    ("GM-CITR", "Citrobacter spp.", "CFU/g", "<5.00e6", 5),
    ("GM-STRP", "Streptococcus spp.", "CFU/g", "<1.00e3", 3),
    ("GM-CAND", "Candida spp.", "CFU/g", "<5.00e3", 3),
    ("38445-3", "Calprotectin", "\\XC2B5\\g/g", "<173", 2),
    ("25907-7", "Pancreatic Elastase 1", "ug/g", ">200", 2),
    ("GM-SIGA", "Secretory IgA", "ug/g", "510-2010", 3),
    ("GM-ZON", "Zonulin", "ng/mL", "<=107", 2),
    ("GM-BGL", "Beta-glucuronidase", "U/mL", "368-6266", 3),
    (
        "GM-EDN",
        "Eosinophil Activation Protein (EDN/EPX)",
        "ug/g",
        "<1.1",
        0,
    ),
    ("GM-FIT", "Occult Blood - FIT", "ug/g", "<10", 0),
];

const SECTIONS: [(&str, usize); 4] = [
    ("Pathogens", 6),
    ("Commensal/Keystone Bacteria", 6),
    ("Opportunistic/Overgrowth Microbes", 5),
    ("Intestinal Health", 7),
];

/// A small deterministic generator (SplitMix64): no dependency, no I/O.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `count` messages, each ending its segments with CR, concatenated.
pub fn generate(count: usize, seed: u64) -> String {
    let mut seq = Seq(seed);
    let mut out = String::with_capacity(count * 2200);
    for n in 0..count {
        message(&mut out, n, &mut seq);
    }
    out
}

fn message(out: &mut String, n: usize, seq: &mut Seq) {
    let day = 1 + seq.below(28);
    let _ = write!(
        out,
        "MSH|^~\\&|QPCR-LIS|Diagnostic Solutions Laboratory|PRACTICE|VILLI|202403{day:02}090000||ORU^R01^ORU_R01|GM-{n}|P|2.5.1\r"
    );
    let _ = write!(out, "PID|1||C-{}||Client^Example\r", seq.below(100_000));
    let mut row = 0;
    for (s, (section, count)) in SECTIONS.iter().enumerate() {
        let _ = write!(
            out,
            "OBR|{}||GM-{n}|GIMAP-{s}^{section}^L|||202403{day:02}||||||||||||||202403{:02}||||F\r",
            s + 1,
            (day + 7).min(28)
        );
        for k in 0..*count {
            let (code, name, unit, range, exp) = ROWS[row];
            row += 1;
            let system = if code.contains('-') && code.as_bytes()[0].is_ascii_digit() {
                "LN"
            } else {
                "L"
            };
            let (kind, value) = value(seq, exp);
            let flag = if seq.below(6) == 0 { "H" } else { "" };
            let _ = write!(
                out,
                "OBX|{}|{kind}|{code}^{name}^{system}||{value}|{unit}|{range}|{flag}|||F||||||qPCR\r",
                k + 1
            );
            if seq.below(10) == 0 {
                out.push_str("NTE|1|L|Result confirmed on repeat analysis\\F\\see guide.\r");
            }
        }
    }
}

fn value(seq: &mut Seq, exp: i32) -> (&'static str, String) {
    let mantissa = 1.0 + seq.below(900) as f64 / 100.0;
    let e = exp + seq.below(3) as i32 - 1;
    match seq.below(10) {
        0 => ("ST", "<dl".to_owned()),
        1 => ("SN", format!("<^{mantissa:.2}e{e}")),
        2 if e < 4 => ("NM", format!("{:.1}", mantissa * 10f64.powi(e.max(0)))),
        _ => ("NM", format!("{mantissa:.2}e{e}")),
    }
}
