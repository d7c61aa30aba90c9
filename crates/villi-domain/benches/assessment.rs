//! Assessment throughput and knowledge-base load time.
//!
//! Run: `cargo bench -p villi-domain --bench assessment`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use villi_domain::assessment::{assess, render_html};
use villi_domain::intake::Intake;
use villi_domain::knowledge::matching::match_medication;
use villi_domain::knowledge::{EMBEDDED_SOURCES, KnowledgeBase};

const FULL_INTAKE: &str = include_str!("../tests/fixtures/personas/17-full-intake.intake.json");

fn full_intake() -> Intake {
    Intake::from_json(FULL_INTAKE).expect("the full-intake fixture validates")
}

fn assessment(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    let intake = full_intake();
    let mut group = c.benchmark_group("assessment");
    group.throughput(Throughput::Elements(1));
    group.bench_function("full_intake", |b| b.iter(|| assess(black_box(&intake), kb)));
    group.bench_function("parse_and_assess_full_intake", |b| {
        b.iter(|| {
            let intake = Intake::from_json(black_box(FULL_INTAKE)).expect("valid fixture");
            assess(&intake, kb)
        })
    });
    let a = assess(&intake, kb);
    group.bench_function("render_html", |b| b.iter(|| render_html(black_box(&a), kb)));
    group.finish();
}

fn knowledge_base(c: &mut Criterion) {
    let mut group = c.benchmark_group("knowledge_base");
    group.sample_size(20);
    group.bench_function("parse_and_validate", |b| {
        b.iter(|| {
            KnowledgeBase::from_sources(black_box(EMBEDDED_SOURCES))
                .expect("embedded data is valid")
        })
    });
    group.finish();
}

fn matching(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    let mut group = c.benchmark_group("medication_match");
    group.throughput(Throughput::Elements(1));
    group.bench_function("exact_brand", |b| {
        b.iter(|| match_medication(kb, black_box("Nexium 40mg")))
    });
    group.bench_function("fuzzy_misspelling", |b| {
        b.iter(|| match_medication(kb, black_box("metforminn")))
    });
    group.finish();
}

criterion_group!(benches, assessment, knowledge_base, matching);
criterion_main!(benches);
