//! The areas of gut health results are grouped into, in the practice's words.

use serde::{Deserialize, Serialize};

/// The area of gut health a marker belongs to; results are summarised by area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Intestinal lining and permeability.
    Lining,
    /// Commensal (helpful) bacteria.
    Commensal,
    /// Opportunistic bacteria that can overgrow.
    Opportunistic,
    /// Pathogenic bacteria and viruses.
    Pathogen,
    /// Parasites: protozoa and worms.
    Parasites,
    /// Yeast and fungi.
    YeastFungi,
    /// Digestion and absorption.
    Digestion,
    /// Inflammation and immunity.
    Inflammation,
    /// Microbial metabolism: SCFAs, β-glucuronidase, pH.
    Metabolic,
}

impl Area {
    /// Every area, in the order summaries are shown.
    pub const ALL: [Area; 9] = [
        Area::Lining,
        Area::Commensal,
        Area::Opportunistic,
        Area::Pathogen,
        Area::Parasites,
        Area::YeastFungi,
        Area::Digestion,
        Area::Inflammation,
        Area::Metabolic,
    ];

    /// The title a client reads.
    pub fn client_title(self) -> &'static str {
        match self {
            Area::Lining => "Intestinal lining",
            Area::Commensal => "Helpful bacteria",
            Area::Opportunistic => "Bacteria that can overgrow",
            Area::Pathogen => "Infections (bacteria and viruses)",
            Area::Parasites => "Parasites",
            Area::YeastFungi => "Yeast and fungi",
            Area::Digestion => "Digestion",
            Area::Inflammation => "Inflammation and immunity",
            Area::Metabolic => "What your gut bacteria produce",
        }
    }

    /// The title a practitioner reads.
    pub fn practitioner_title(self) -> &'static str {
        match self {
            Area::Lining => "Barrier and permeability markers",
            Area::Commensal => "Commensal and keystone bacteria",
            Area::Opportunistic => "Opportunistic and dysbiotic bacteria",
            Area::Pathogen => "Bacterial and viral pathogens",
            Area::Parasites => "Protozoa and helminths",
            Area::YeastFungi => "Fungi and yeast",
            Area::Digestion => "Digestion and absorption",
            Area::Inflammation => "Inflammation and immunology",
            Area::Metabolic => "Microbial metabolites (SCFA, β-glucuronidase, pH)",
        }
    }
}
