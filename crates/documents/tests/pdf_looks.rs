//! Looks right, as far as a machine can tell: the largest demo plan rendered to PNG pages
//! with `pdftoppm` (poppler-utils) has a plausible number of pages, nothing is printed
//! in the margins, and every heading of the cascade is in the text layer.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use pdf_support::{demo, largest, memo, pdftotext, squash};
use std::process::Command;
use time::macros::date;

/// A PNG's pixels as grey values, decoded by `pdftoppm -gray` as PGM instead (no image
/// crate needed): width, height and the bytes.
fn pgm(path: &std::path::Path) -> (usize, usize, Vec<u8>) {
    let data = std::fs::read(path).unwrap();
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = data[i + 1..].to_vec();
    assert_eq!(pixels.len(), w * h);
    (w, h, pixels)
}

#[tokio::test]
async fn the_largest_demo_plan_looks_right() {
    let demo = demo().await;
    let memo = memo();
    let plan = largest(&demo.plans);
    let printable = Printable {
        document: Document::Plan(plan),
        memo: &memo,
        printed_on: date!(2026 - 01 - 23),
    };
    let bytes = pdf(&printable, PdfKind::Archive).expect("typesets");
    let dir = pdf_support::tempdir();
    let path = dir.join("plan.pdf");
    std::fs::write(&path, &bytes).unwrap();
    // 36 dpi: an A4 page is 298 × 421 pixels.
    let status = Command::new("pdftoppm")
        .args(["-r", "36", "-gray"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    pages.sort();
    assert!(
        (8..=40).contains(&pages.len()),
        "pages: {} (memo, contents, the plan)",
        pages.len()
    );
    // Margins: 25 mm left, 22 mm right, 22 mm bottom; the running header sits in the top
    // margin, so the top strip checked is the first 10 mm. At 36 dpi 1 mm is 1.42 px.
    let mm = 36.0 / 25.4;
    for page in &pages {
        let (w, h, px) = pgm(page);
        let white = |x0: usize, x1: usize, y0: usize, y1: usize| -> bool {
            (y0..y1).all(|y| (x0..x1).all(|x| px[y * w + x] > 240))
        };
        let left = (20.0 * mm) as usize;
        let right = w - (17.0 * mm) as usize;
        let bottom = h - (17.0 * mm) as usize;
        let top = (10.0 * mm) as usize;
        assert!(
            white(0, left, 0, h),
            "{}: ink in the left margin",
            page.display()
        );
        assert!(
            white(right, w, 0, h),
            "{}: ink in the right margin",
            page.display()
        );
        assert!(
            white(0, w, bottom, h),
            "{}: ink in the bottom margin",
            page.display()
        );
        assert!(
            white(0, w, 0, top),
            "{}: ink above the header",
            page.display()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);

    let text = squash(&pdftotext(&bytes, false).replace(['\u{2060}', '\u{ad}'], ""));
    for g in plan.goals.iter().flat_map(|g| g.walk()) {
        let heading = format!("{}:", g.goal.level.heading_prefix());
        let title = squash(&g.goal.title);
        assert!(
            text.contains(&format!("{heading} ")) && text.contains(&title),
            "heading missing: {heading} {title}"
        );
    }
    assert!(text.contains(&format!("Sid 1 ({})", pages.len())));
    assert!(text.contains(&format!("Sid {} ({})", pages.len(), pages.len())));
}

#[tokio::test]
#[ignore = "writes docs/images/plan-page-1.png and plan-cascade.png for the README"]
async fn write_readme_images() {
    let demo = demo().await;
    let memo = memo();
    let plan = largest(&demo.plans);
    let printable = Printable {
        document: Document::Plan(plan),
        memo: &memo,
        printed_on: date!(2026 - 01 - 23),
    };
    let bytes = pdf(&printable, PdfKind::Archive).expect("typesets");
    let dir = pdf_support::tempdir();
    let path = dir.join("plan.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let images = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/images");
    std::fs::create_dir_all(&images).unwrap();
    // The cascade page: the first with a council goal, a board goal and a table on it.
    let pages = Command::new("pdfinfo").arg(&path).output().unwrap();
    let count: usize = String::from_utf8_lossy(&pages.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    let cascade = (3..=count)
        .find(|p| {
            let out = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&path)
                .arg("-")
                .output()
                .unwrap();
            let t = String::from_utf8_lossy(&out.stdout);
            t.contains("KF:s mål för verksamhetsområdet:")
                && t.contains("Nämndmål:")
                && t.contains("Periodicitet")
        })
        .unwrap_or(3)
        .to_string();
    for (page, name) in [("1", "plan-page-1"), (cascade.as_str(), "plan-cascade")] {
        let status = Command::new("pdftoppm")
            .args(["-r", "60", "-png", "-singlefile", "-f", page, "-l", page])
            .arg(&path)
            .arg(images.join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
}
