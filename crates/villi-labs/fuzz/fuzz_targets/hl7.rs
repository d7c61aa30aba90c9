//! Fuzzes the hl7 importer, then interpretation and export of what it read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use villi_domain::labs::{Catalogue, IntakeContext, interpret};

fuzz_target!(|data: &[u8]| {
    let parsed = villi_labs::hl7::parse(data);
    if let Some(report) = parsed.report {
        let _ = interpret(&report, Catalogue::embedded(), &IntakeContext::default());
        let _ = villi_labs::fhir::export(&report);
    }
});
