//! A pathway plan as an accessible PDF: tagged and checked against PDF/UA-1 by
//! Typst, with the young person's words and actions in reading order.

use pathways_app::clock::london;
use pathways_app::plans::PlanView;
use pathways_domain::dates::gov_uk;
use pathways_domain::plans::PlanDimension;
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue};
use typst::layout::PagedDocument;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

static TEMPLATE: &str = include_str!("../pdf/plan.typ");

/// Why a PDF could not be made (a fault in the template, never in the plan).
#[derive(Debug, thiserror::Error)]
#[error("the pathway plan PDF could not be made: {0}")]
pub struct PdfError(String);

/// One engine, with its fonts loaded once (only the fonts built into Pathways, so
/// the PDF looks the same on every server).
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .search_fonts_with(
                TypstKitFontOptions::new()
                    .include_system_fonts(false)
                    .include_embedded_fonts(true),
            )
            .build()
    })
}

/// What the template reads, as JSON strings only.
fn plan_data(view: &PlanView, council: &str) -> serde_json::Value {
    let plan = &view.plan;
    let day = |at: jiff::Timestamp| gov_uk(at.to_zoned(london()).date());
    let mut facts = vec![
        ["Status".to_owned(), plan.status.label().to_owned()],
        ["Version".to_owned(), plan.plan_version.to_string()],
        [
            "Started".to_owned(),
            format!("{} by {}", day(plan.created_at), plan.created_by),
        ],
    ];
    if let (Some(by), Some(at)) = (&plan.signed_off_by, plan.signed_off_at) {
        facts.push(["Signed off".to_owned(), format!("{} by {by}", day(at))]);
    }
    if let (Some(on), Some(method)) = (plan.agreed_on, plan.agreement_method) {
        facts.push([
            "Young person's agreement".to_owned(),
            format!("{} on {}", method.label(), gov_uk(on)),
        ]);
    }
    if let Some(comments) = &plan.manager_comments {
        facts.push(["Manager's comments".to_owned(), comments.clone()]);
    }
    let sections: Vec<serde_json::Value> = PlanDimension::ALL
        .iter()
        .map(|&d| {
            let s = plan.content.section(d);
            let actions: Vec<serde_json::Value> = s
                .actions
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "action": a.action,
                        "owner": a.owner,
                        "due": a.due_on.map(gov_uk).unwrap_or_default(),
                        "status": a.status.label(),
                    })
                })
                .collect();
            serde_json::json!({
                "label": d.label(),
                "own_words": s.own_words,
                "needs": s.needs,
                "actions": actions,
            })
        })
        .collect();
    serde_json::json!({
        "title": format!("Pathway plan for {}, version {}", view.young_person_name, plan.plan_version),
        "council": council,
        "name": view.young_person_name,
        "version": plan.plan_version.to_string(),
        "facts": facts,
        "sections": sections,
    })
}

/// The plan as a PDF/UA-1 document.
pub fn plan_pdf(view: &PlanView, council: &str) -> Result<Vec<u8>, PdfError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), plan_data(view, council).to_string().into_value());
    let document: PagedDocument = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| PdfError(format!("{e:?}")))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| PdfError(e.to_string()))?;
    let options = PdfOptions {
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| PdfError(format!("{e:?}")))
}
