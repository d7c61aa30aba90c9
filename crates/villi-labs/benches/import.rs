//! Criterion benchmark of HL7 import (parse, normalise, interpret) on a
//! synthetic corpus. The cross-language comparison with python-hl7 is
//! `scripts/bench-labs.sh`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use villi_domain::labs::{Catalogue, IntakeContext, interpret};
use villi_labs::{ImportOptions, SourceFormat, corpus, fhir, hl7, import};

fn bench(c: &mut Criterion) {
    let text = corpus::generate(500, 7);
    let messages = hl7::split_messages(&text);
    let options = ImportOptions {
        partial: true,
        format: Some(SourceFormat::Hl7v2),
    };
    let catalogue = Catalogue::embedded();
    let intake = IntakeContext::default();

    let mut group = c.benchmark_group("hl7");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("import_and_interpret_500_messages", |b| {
        b.iter(|| {
            for m in &messages {
                if let Ok(i) = import(m.as_bytes(), &options) {
                    std::hint::black_box(interpret(&i.report, catalogue, &intake));
                }
            }
        })
    });
    group.bench_function("parse_only_500_messages", |b| {
        b.iter(|| {
            for m in &messages {
                std::hint::black_box(hl7::parse(m.as_bytes()));
            }
        })
    });
    group.finish();

    let report = import(messages[0].as_bytes(), &options).map(|i| i.report);
    if let Ok(report) = report {
        let exported = fhir::export(&report);
        let mut fhir_group = c.benchmark_group("fhir");
        fhir_group.throughput(Throughput::Bytes(exported.len() as u64));
        fhir_group.bench_function("export_one_report", |b| {
            b.iter(|| std::hint::black_box(fhir::export(&report)))
        });
        fhir_group.bench_function("import_one_bundle", |b| {
            b.iter(|| std::hint::black_box(fhir::parse(exported.as_bytes())))
        });
        fhir_group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
