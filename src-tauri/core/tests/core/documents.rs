//! Documents as a reader gets them: the PDF's text copies out exactly (rare characters too),
//! its fonts are embedded subsets, qpdf finds its structure sound, and the certificate looks
//! as its reference image does. Uses poppler-utils and qpdf, which `.ci/setup-debian --test`
//! installs.

use std::path::Path;
use std::process::Command;

use cceaa_core::documents::images::DocumentImage;
use cceaa_core::documents::Fonts;
use cceaa_core::{MemberInput, Registry, Stamp, Tier};
use chrono::NaiveDate;

fn on(s: &str) -> Stamp {
    Stamp {
        at: NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        actor: "secretariat".into(),
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for this test ({e}); install poppler-utils and qpdf")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Members' certificates as PDF bytes, issuing any that are missing.
fn certificates_pdf(
    r: &mut Registry,
    ids: &[i64],
    fonts: &Fonts,
    day: &str,
) -> (Vec<cceaa_core::Certificate>, Vec<u8>) {
    let (certs, doc) = r.certificates_document(ids, fonts, &on(day), true).unwrap();
    (certs, doc.pdf(fonts).unwrap())
}

fn registry(dir: &Path) -> Registry {
    Registry::open(&dir.join("registry.db")).unwrap()
}

fn add(r: &mut Registry, name: &str, name_en: &str, tier: Tier) -> i64 {
    let input = MemberInput {
        name: name.into(),
        name_en: name_en.into(),
        tier,
        joined: "2023-02-14".into(),
        ..Default::default()
    };
    r.create_member(&input, &on("2023-02-14")).unwrap().id
}

#[test]
fn a_certificate_copies_out_exactly_with_embedded_font_subsets() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let name = "𠮷祥跨境供应链（深圳）有限公司㐀";
    let id = add(
        &mut r,
        name,
        "Jixiang Supply Chain (Shenzhen) Co., Ltd.",
        Tier::Ordinary,
    );
    let fonts = Fonts::bundled().unwrap();
    let (certs, pdf) = certificates_pdf(&mut r, &[id], fonts, "2026-11-20");
    assert_eq!(certs[0].number, "CCEAA-2026-0001", "issued on printing");
    assert!(
        pdf.len() <= 60 * 1024,
        "one certificate is {} bytes, over the 60 KB target",
        pdf.len()
    );
    let file = dir.path().join("certificate.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let f = file.to_str().unwrap();

    let text = tool("pdftotext", &[f, "-"]);
    for expected in [
        name,
        "Jixiang Supply Chain (Shenzhen) Co., Ltd.",
        "CCEAA-2026-0001",
        "中国跨境电子商务应用联盟秘书处",
        "2023年2月14日",
        "二〇二六年十一月二十日",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} does not copy out of\n{text}"
        );
    }
    let v = r
        .verify_certificate(&format!("CCEAA-2026-0001 {}", code_in(&text)))
        .unwrap();
    assert!(v.genuine, "the printed code verifies: {v:?}");

    let fonts_table = tool("pdffonts", &[f]);
    let rows: Vec<&str> = fonts_table.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts in\n{fonts_table}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "every font embedded, subset, with a Unicode map: {row}"
        );
        assert!(cols[0].contains('+'), "a subset's name has its tag: {row}");
    }
    tool("qpdf", &["--check", f]);
}

/// The verification code as printed: the one word of four groups of four.
fn code_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| {
            let groups: Vec<&str> = w.split('-').collect();
            groups.len() == 4
                && groups
                    .iter()
                    .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .expect("a verification code on the page")
        .to_string()
}

#[test]
fn a_batch_is_one_pdf_with_a_page_per_member_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let names = [
        "华为技术有限公司",
        "ООО «Росэкспорт Онлайн»",
        "PT Nusantara Digital Niaga",
    ];
    let ids: Vec<i64> = names
        .iter()
        .map(|n| add(&mut r, n, "", Tier::Ordinary))
        .collect();
    let fonts = Fonts::bundled().unwrap();
    let (certs, pdf) = certificates_pdf(&mut r, &ids, fonts, "2026-11-20");
    assert_eq!(certs.len(), 3);
    let file = dir.path().join("batch.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let info = tool("pdfinfo", &[file.to_str().unwrap()]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 3")),
        "{info}"
    );
    for (page, name) in names.iter().enumerate() {
        let p = (page + 1).to_string();
        let text = tool(
            "pdftotext",
            &["-f", &p, "-l", &p, file.to_str().unwrap(), "-"],
        );
        assert!(text.contains(name), "page {p} is {name}'s: {text}");
    }
}

#[test]
fn a_missing_glyph_refuses_the_batch_before_anything_is_issued() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let good = add(&mut r, "甲公司", "", Tier::Ordinary);
    // U+2B81D (CJK Extension D) is in no bundled face, and no font is installed to draw it.
    let bad = add(&mut r, "乙\u{2B81D}公司", "", Tier::Ordinary);
    let fonts = Fonts::bundled().unwrap().with_fallback_dirs(Vec::new());
    let err = r
        .certificates_document(&[good, bad], &fonts, &on("2026-11-20"), true)
        .unwrap_err();
    let report = err.report();
    assert_eq!(report.code, "missing_glyph");
    assert!(
        report.message.zh.contains("U+2B81D"),
        "{}",
        report.message.zh
    );
    assert!(
        r.certificates(good).unwrap().is_empty(),
        "no certificate was issued for a batch that could not print"
    );
}

#[test]
fn a_batch_that_fails_half_way_issues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let first = add(&mut r, "甲公司", "", Tier::Ordinary);
    let second = add(&mut r, "乙公司", "", Tier::Ordinary);
    let third = add(&mut r, "丙公司", "", Tier::Ordinary);
    // The third certificate cannot be written (as a disk failing mid-batch would do).
    rusqlite::Connection::open(dir.path().join("registry.db"))
        .unwrap()
        .execute_batch(&format!(
            "CREATE TRIGGER fail_third BEFORE INSERT ON certificate WHEN NEW.member_id = {third}
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;"
        ))
        .unwrap();
    let fonts = Fonts::bundled().unwrap();
    r.certificates_document(&[first, second, third], fonts, &on("2026-11-20"), true)
        .unwrap_err();
    for id in [first, second] {
        assert!(
            r.certificates(id).unwrap().is_empty(),
            "member {id}: all or nothing"
        );
    }
}

#[test]
fn a_forged_or_revoked_certificate_is_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let id = add(&mut r, "甲公司", "", Tier::Presidium);
    let fonts = Fonts::bundled().unwrap();
    let (certs, _) = certificates_pdf(&mut r, &[id], fonts, "2026-11-20");
    let number = &certs[0].number;
    assert!(
        !r.verify_certificate(&format!("{number} AAAA-BBBB-CCCC-DDDD"))
            .unwrap()
            .genuine
    );
    assert!(
        !r.verify_certificate("CCEAA-2099-9999 AAAA-BBBB-CCCC-DDDD")
            .unwrap()
            .genuine
    );
    assert_eq!(
        r.verify_certificate("just words")
            .unwrap_err()
            .report()
            .code,
        "verification_unreadable"
    );
    // The code is computed, not stored: the same registry recomputes it.
    let file = dir.path().join("c.pdf");
    let (_, pdf) = certificates_pdf(&mut r, &[id], fonts, "2026-11-21");
    std::fs::write(&file, pdf).unwrap();
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    let code = code_in(&text);
    let v = r
        .verify_certificate(&format!(
            "{} {}",
            number.to_lowercase(),
            code.to_lowercase()
        ))
        .unwrap();
    assert!(v.genuine, "typed in small letters, it still verifies");
    // A member that renames keeps a certificate that verifies; the check shows today's name.
    let renamed = MemberInput {
        name: "甲科技集团有限公司".into(),
        ..r.member(id).unwrap().to_input()
    };
    r.update_member(id, &renamed, &on("2026-11-21")).unwrap();
    let v = r.verify_certificate(&format!("{number} {code}")).unwrap();
    assert!(v.genuine, "a renamed member's certificate is genuine");
    assert_eq!(v.member.unwrap().name, "甲科技集团有限公司");
    r.withdraw_member(
        id,
        &cceaa_core::LeaveInput {
            date: "2026-11-22".into(),
            note: String::new(),
        },
        &on("2026-11-22"),
    )
    .unwrap();
    let v = r.verify_certificate(&format!("{number} {code}")).unwrap();
    assert!(v.genuine, "a revoked certificate is still genuine");
    assert!(
        v.certificate.unwrap().revoked.is_some(),
        "and shown as revoked"
    );
}

/// Renders the certificate at 30 dpi in grey and compares it with the reference image pixel by
/// pixel: a layout change shows as a difference. Regenerate the reference with
/// `CCEAA_UPDATE_REFERENCE=1 cargo test -p cceaa-core --test core` and look at it.
#[test]
fn the_certificate_looks_as_its_reference_image() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let id = add(
        &mut r,
        "杭州综合试验区跨境电商产业园",
        "Hangzhou Cross-border E-commerce Park",
        Tier::Ordinary,
    );
    std::fs::write(dir.path().join("certificate.key"), "ab".repeat(32)).unwrap();
    let fonts = Fonts::bundled().unwrap();
    let (_, pdf) = certificates_pdf(&mut r, &[id], fonts, "2026-11-20");
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.path().join("page");
    tool(
        "pdftoppm",
        &[
            "-gray",
            "-r",
            "30",
            "-singlefile",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let got = std::fs::read(dir.path().join("page.pgm")).unwrap();
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/certificate.pgm");
    if std::env::var_os("CCEAA_UPDATE_REFERENCE").is_some() {
        std::fs::write(&reference, &got).unwrap();
    }
    let want = std::fs::read(&reference).expect("the reference image");
    let (gw, gh, gp) = pgm(&got);
    let (ww, wh, wp) = pgm(&want);
    assert_eq!((gw, gh), (ww, wh), "page size changed");
    let differing = gp
        .iter()
        .zip(wp)
        .filter(|(a, b)| a.abs_diff(**b) > 64)
        .count();
    let share = differing as f64 / gp.len() as f64;
    assert!(
        share < 0.002,
        "{:.2} % of pixels differ from the reference (tolerance 0.2 %)",
        share * 100.0
    );
}

/// Width, height and grey pixels of a binary PGM (P5) image.
fn pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).unwrap().to_string());
    }
    assert_eq!(fields[0], "P5", "a binary grey image");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, &bytes[i + 1..i + 1 + w * h])
}

#[test]
fn a_long_roster_runs_over_pages_with_its_header_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    for i in 0..90 {
        let input = MemberInput {
            name: format!("测试跨境电子商务服务有限公司第{i:03}号"),
            liaison_name: "王伟".into(),
            liaison_phone: "13800138000".into(),
            liaison_email: format!("liaison{i}@example.cn"),
            joined: "2024-01-01".into(),
            ..Default::default()
        };
        r.create_member(&input, &on("2024-01-01")).unwrap();
    }
    let fonts = Fonts::bundled().unwrap();
    let query = cceaa_core::MemberQuery::default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let internal = dir.path().join("internal.pdf");
    std::fs::write(
        &internal,
        r.roster_document(&query, false, fonts, today)
            .unwrap()
            .pdf(fonts)
            .unwrap(),
    )
    .unwrap();
    let public = dir.path().join("public.pdf");
    std::fs::write(
        &public,
        r.roster_document(&query, true, fonts, today)
            .unwrap()
            .pdf(fonts)
            .unwrap(),
    )
    .unwrap();

    let info = tool("pdfinfo", &[internal.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        pages >= 3,
        "90 members take several landscape pages, not {pages}"
    );
    for p in 1..=pages {
        let n = p.to_string();
        let text = tool(
            "pdftotext",
            &["-f", &n, "-l", &n, internal.to_str().unwrap(), "-"],
        );
        assert!(text.contains("单位名称"), "page {p} repeats the header row");
        assert!(
            text.contains(&format!("第 {p} 页 / 共 {pages} 页")),
            "page {p}'s number: {text}"
        );
    }
    let all = tool("pdftotext", &[internal.to_str().unwrap(), "-"]);
    assert!(all.contains("测试跨境电子商务服务有限公司第089号"));
    assert!(
        all.contains("liaison7@example.cn"),
        "the internal roster has contacts"
    );
    let open = tool("pdftotext", &[public.to_str().unwrap(), "-"]);
    assert!(open.contains("测试跨境电子商务服务有限公司第000号"));
    for private in ["13800138000", "liaison7@example.cn", "王伟"] {
        assert!(!open.contains(private), "the public roster leaks {private}");
    }
    tool("qpdf", &["--check", internal.to_str().unwrap()]);
}

#[test]
fn the_application_form_prints_blank_and_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let rec = add(&mut r, "浙江省跨境电子商务协会", "", Tier::Ordinary);
    let input = cceaa_core::ApplicationInput {
        applicant: MemberInput {
            name: "杭州𠮷祥跨境电子商务有限公司".into(),
            uscc: "91440300708461136T".into(),
            head_name: "李华".into(),
            head_email: "lihua@example.cn".into(),
            intro: "主营跨境电商出口业务，覆盖东盟与欧洲市场。".repeat(12),
            ..Default::default()
        },
        recommenders: vec![rec],
        received: "2026-11-02".into(),
        ..Default::default()
    };
    let app = r.create_application(&input, &on("2026-11-02")).unwrap();
    let fonts = Fonts::bundled().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let blank = dir.path().join("blank.pdf");
    std::fs::write(
        &blank,
        r.application_form_document(cceaa_core::FormSource::Blank, fonts, today)
            .unwrap()
            .pdf(fonts)
            .unwrap(),
    )
    .unwrap();
    let filled = dir.path().join("filled.pdf");
    std::fs::write(
        &filled,
        r.application_form_document(cceaa_core::FormSource::Application(app.id), fonts, today)
            .unwrap()
            .pdf(fonts)
            .unwrap(),
    )
    .unwrap();
    let sections = [
        "中国跨境电子商务应用联盟入盟申请表",
        "一、申请单位基本信息",
        "五、推荐单位",
        "申请单位（盖章）",
        "七、秘书处审核意见",
    ];
    let blank_text = tool("pdftotext", &[blank.to_str().unwrap(), "-"]);
    for s in sections {
        assert!(blank_text.contains(s), "the blank form has {s}");
    }
    assert!(!blank_text.contains("李华"));
    let text = tool("pdftotext", &[filled.to_str().unwrap(), "-"]);
    for s in sections.iter().chain(&[
        "杭州𠮷祥跨境电子商务有限公司",
        "91440300708461136T",
        "李华",
        "lihua@example.cn",
        "浙江省跨境电子商务协会",
        "2026年11月2日",
    ]) {
        assert!(text.contains(s), "the filled form has {s}:\n{text}");
    }
    let info = tool("pdfinfo", &[filled.to_str().unwrap()]);
    assert!(
        info.contains("Pages:           1"),
        "the form is one page: {info}"
    );
    tool("qpdf", &["--check", filled.to_str().unwrap()]);
}

#[test]
fn the_approval_letter_says_what_the_e_mail_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let rec = add(&mut r, "推荐单位", "", Tier::Ordinary);
    let input = cceaa_core::ApplicationInput {
        applicant: MemberInput {
            name: "申请单位有限公司".into(),
            head_name: "李华".into(),
            ..Default::default()
        },
        recommenders: vec![rec],
        received: "2026-11-02".into(),
        ..Default::default()
    };
    let app = r.create_application(&input, &on("2026-11-02")).unwrap();
    let decision = cceaa_core::Decision {
        date: "2026-11-20".into(),
        ..Default::default()
    };
    let approval = r
        .approve_application(app.id, &decision, &on("2026-11-20"))
        .unwrap();
    let fonts = Fonts::bundled().unwrap();
    let file = dir.path().join("letter.pdf");
    std::fs::write(
        &file,
        r.notice_letter_document(app.id, fonts)
            .unwrap()
            .pdf(fonts)
            .unwrap(),
    )
    .unwrap();
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    let notice = r.application_notice(app.id).unwrap();
    assert!(text.contains(&notice.subject), "{text}");
    for s in [
        "李华：",
        "Dear 李华",
        &approval.certificate.number,
        "2026年11月20日",
    ] {
        assert!(text.contains(s), "the letter has {s}:\n{text}");
    }
}

#[test]
fn a_reissued_certificate_takes_a_new_number_and_the_old_one_is_superseded() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let id = add(&mut r, "甲公司", "", Tier::Ordinary);
    assert_eq!(
        r.reissue_certificate(id, "遗失", &on("2026-11-20"))
            .unwrap_err()
            .report()
            .code,
        "no_certificate"
    );
    let first = r.issue_certificate(id, "", &on("2026-11-20")).unwrap();
    let second = r
        .reissue_certificate(id, "原件遗失", &on("2026-11-25"))
        .unwrap();
    assert_ne!(
        first.number, second.number,
        "a reissue never reuses the number"
    );
    let all = r.certificates(id).unwrap();
    assert_eq!(all.len(), 2);
    let old = all.iter().find(|c| c.number == first.number).unwrap();
    assert_eq!(old.revoked, NaiveDate::from_ymd_opt(2026, 11, 25));
    assert!(
        old.revoked_note.contains(&second.number),
        "{}",
        old.revoked_note
    );
    assert!(old.revoked_note.contains("原件遗失"));
    assert!(all.iter().filter(|c| c.revoked.is_none()).count() == 1);
    // The preview of a member's certificate never issues one.
    let other = add(&mut r, "乙公司", "", Tier::Ordinary);
    let fonts = Fonts::bundled().unwrap();
    let refused = r.certificates_document(&[other], fonts, &on("2026-11-25"), false);
    assert_eq!(refused.unwrap_err().report().code, "no_certificate");
    assert!(r.certificates(other).unwrap().is_empty());
    let (_, doc) = r
        .certificates_document(&[id], fonts, &on("2026-11-25"), false)
        .unwrap();
    assert!(doc.svg()[0].contains(&second.number));
}

#[test]
fn the_offices_seal_and_signature_go_on_the_certificate_only_when_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let id = add(&mut r, "甲公司", "", Tier::Ordinary);
    let fonts = Fonts::bundled().unwrap();
    let (_, doc) = r
        .certificates_document(&[id], fonts, &on("2026-11-20"), true)
        .unwrap();
    assert!(
        !doc.svg()[0].contains("<image"),
        "no seal is ever drawn by the registry"
    );

    // A red, half-transparent round seal and a signature stroke, made as an office would.
    let seal = dir.path().join("seal.png");
    let signature = dir.path().join("sig.png");
    for (file, draw) in [
        (&seal, "circle 200,200 200,30"),
        (&signature, "line 20,60 380,90"),
    ] {
        let status = Command::new("convert")
            .args([
                "-size",
                "400x400",
                "xc:none",
                "-fill",
                "rgba(200,20,30,0.8)",
            ])
            .args([
                "-stroke",
                "rgba(200,20,30,0.8)",
                "-strokewidth",
                "6",
                "-draw",
                draw,
            ])
            .arg(file)
            .status()
            .expect("ImageMagick's convert makes the test images");
        assert!(status.success());
    }
    let not_png = dir.path().join("seal.jpg");
    std::fs::write(&not_png, b"\xff\xd8\xff\xe0 not a png").unwrap();
    let refused = r
        .set_document_image(DocumentImage::Seal, &not_png)
        .unwrap_err();
    assert_eq!(refused.report().problems[0].code, "image_not_png");
    r.set_document_image(DocumentImage::Seal, &seal).unwrap();
    r.set_document_image(DocumentImage::Signature, &signature)
        .unwrap();
    let shown = r.document_images().unwrap();
    assert!(shown.seal.unwrap().starts_with("data:image/png;base64,"));

    let (_, doc) = r
        .certificates_document(&[id], fonts, &on("2026-11-20"), true)
        .unwrap();
    assert_eq!(doc.svg()[0].matches("<image").count(), 2);
    let file = dir.path().join("sealed.pdf");
    std::fs::write(&file, doc.pdf(fonts).unwrap()).unwrap();
    let list = tool("pdfimages", &["-list", file.to_str().unwrap()]);
    // The third column is the kind: "image", or "smask" for an image's transparency.
    let kinds: Vec<&str> = list
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let images = kinds.iter().filter(|k| **k == "image").count();
    let masks = kinds.iter().filter(|k| **k == "smask").count();
    assert_eq!(
        (images, masks),
        (2, 2),
        "two images, each with its transparency:\n{list}"
    );
    tool("qpdf", &["--check", file.to_str().unwrap()]);

    r.clear_document_image(DocumentImage::Seal).unwrap();
    let (_, doc) = r
        .certificates_document(&[id], fonts, &on("2026-11-20"), true)
        .unwrap();
    assert_eq!(
        doc.svg()[0].matches("<image").count(),
        1,
        "the seal is gone, the signature stays"
    );
}

#[test]
fn a_batch_with_a_member_that_left_issues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let active = add(&mut r, "甲公司", "", Tier::Ordinary);
    let gone = add(&mut r, "乙公司", "", Tier::Ordinary);
    r.withdraw_member(
        gone,
        &cceaa_core::LeaveInput {
            date: "2026-11-01".into(),
            note: String::new(),
        },
        &on("2026-11-01"),
    )
    .unwrap();
    let fonts = Fonts::bundled().unwrap();
    let err = r
        .certificates_document(&[active, gone], fonts, &on("2026-11-20"), true)
        .unwrap_err();
    assert_eq!(err.report().code, "member_not_active");
    assert!(
        r.certificates(active).unwrap().is_empty(),
        "the active member was not issued a certificate by a batch that failed"
    );
}

/// Debian's Noto Sans CJK collection (fonts-noto-cjk, which setup installs) stands in for an
/// office's 宋体: an installed font in a `.ttc` collection.
const COLLECTION: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// A Latin-only font (fonts-dejavu-core, which setup installs for the tests).
const LATIN: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

#[test]
fn an_installed_font_sets_the_body_and_the_bundled_face_draws_what_it_lacks() {
    use cceaa_core::documents::fonts::{installed_cjk_fonts, load_installed, InstalledFont};
    use cceaa_core::documents::{Face, Item, Pen};

    let found = installed_cjk_fonts();
    let sc = found
        .iter()
        .find(|f| f.path == COLLECTION && f.name.contains("SC"))
        .unwrap_or_else(|| panic!("Noto Sans CJK SC among the installed fonts: {found:?}"))
        .clone();

    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let id = add(
        &mut r,
        "华为技术有限公司",
        "Huawei Technologies",
        Tier::Ordinary,
    );
    let latin = InstalledFont {
        path: LATIN.into(),
        index: 0,
        name: "DejaVu Serif".into(),
    };
    assert_eq!(
        r.set_document_font(Some(&latin)).unwrap_err().report().code,
        "font_not_cjk"
    );
    // A font file outside the font folders (a copy elsewhere, or a restored setting naming
    // one) is never chosen nor read.
    let copy = dir.path().join("NotoSansCJK-Regular.ttc");
    std::fs::copy(COLLECTION, &copy).unwrap();
    let elsewhere = InstalledFont {
        path: copy.display().to_string(),
        ..sc.clone()
    };
    assert_eq!(
        r.set_document_font(Some(&elsewhere))
            .unwrap_err()
            .report()
            .code,
        "font_not_installed"
    );
    r.set_setting("document_font", &serde_json::to_string(&elsewhere).unwrap())
        .unwrap();
    assert_eq!(r.document_font().unwrap(), None);
    r.set_document_font(Some(&sc)).unwrap();
    assert_eq!(r.document_font().unwrap(), Some(sc.clone()));

    let bundled = Fonts::bundled().unwrap();
    let fonts = r.document_fonts(bundled).unwrap();
    let (_, doc) = r
        .certificates_document(&[id], &fonts, &on("2026-11-20"), true)
        .unwrap();
    let file = dir.path().join("installed.pdf");
    let pdf = doc.pdf(&fonts).unwrap();
    assert!(
        pdf.len() < 120 * 1024,
        "a face of the collection, subset: {} bytes",
        pdf.len()
    );
    std::fs::write(&file, pdf).unwrap();
    let table = tool("pdffonts", &[file.to_str().unwrap()]);
    assert!(
        table.contains("NotoSansCJK"),
        "the installed font is embedded:\n{table}"
    );
    for row in table.lines().skip(2) {
        assert!(
            row.split_whitespace().next().unwrap().contains('+'),
            "subset: {row}"
        );
    }
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    assert!(text.contains("华为技术有限公司"));

    // A character the installed font lacks is drawn by the bundled face, in a run of its own.
    let with_latin = bundled.with_installed(load_installed(&latin).unwrap());
    let mut pen = Pen::new(&with_latin, 100.0, 100.0);
    pen.text(
        10.0,
        10.0,
        cceaa_core::documents::Align::Left,
        Face::Serif,
        10.0,
        cceaa_core::documents::Rgb::BLACK,
        0.0,
        "ABC中文",
    );
    let runs: Vec<(Face, String)> = pen
        .page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { face, text, .. } => Some((*face, text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        runs,
        vec![
            (Face::Installed, "ABC".to_string()),
            (Face::Serif, "中文".to_string())
        ]
    );

    // Back to the bundled fonts.
    r.set_document_font(None).unwrap();
    assert_eq!(r.document_font().unwrap(), None);
}

// HanaMin B is Debian's (fonts-hanazono); poppler's and qpdf's tools read the result.
#[cfg(unix)]
#[test]
fn a_rare_character_is_embedded_from_a_font_on_the_pc_and_copies_out() {
    // 𪚥 (U+2A6A5) and 𡒄 (U+21484) are in no bundled face; HanaMin B (fonts-hanazono) has
    // both, standing in for 宋体-ExtB on a Windows PC.
    let hana = Path::new("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf");
    assert!(
        hana.is_file(),
        "install fonts-hanazono (bash .ci/setup-debian --test)"
    );
    let fonts_dir = tempfile::tempdir().unwrap();
    std::fs::copy(hana, fonts_dir.path().join("simsunb.ttf")).unwrap();
    let fonts = Fonts::bundled()
        .unwrap()
        .with_fallback_dirs(vec![fonts_dir.path().to_path_buf()]);

    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let name = "𪚥龍跨境𡒄数字贸易有限公司";
    let id = add(&mut r, name, "Zhe Long Digital Trade", Tier::Ordinary);
    let (_, pdf) = certificates_pdf(&mut r, &[id], &fonts, "2026-11-20");
    let file = dir.path().join("certificate.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let path = file.to_str().unwrap();

    let text = tool("pdftotext", &[path, "-"]);
    assert!(text.contains(name), "the name copies out whole: {text}");
    let fonts_list = tool("pdffonts", &[path]);
    assert!(
        fonts_list.contains("HanaMinB"),
        "the rare characters' font is embedded: {fonts_list}"
    );
    for line in fonts_list.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name type encoding emb sub uni ...: every font embedded, as a subset.
        let n = cols.len();
        assert_eq!(cols[n - 5..n - 2], ["yes", "yes", "yes"], "{line}");
    }
    tool("qpdf", &["--check", path]);
}

/// A PNG of `w` × `h` pixels of noise: it does not compress, as a scanned seal barely does.
fn noise_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut state = 0x2545_f491_u32;
    let pixels: Vec<u8> = (0..w * h * 4)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    enc.write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
    out
}

#[test]
fn a_preview_carries_each_image_once_at_screen_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    for (kind, name) in [
        (DocumentImage::Seal, "seal"),
        (DocumentImage::Signature, "sig"),
    ] {
        let file = dir.path().join(format!("{name}.png"));
        std::fs::write(&file, noise_png(1100, 1000)).unwrap();
        assert!(std::fs::metadata(&file).unwrap().len() > 4 << 20);
        r.set_document_image(kind, &file).unwrap();
    }
    let ids: Vec<i64> = (0..25)
        .map(|i| add(&mut r, &format!("成员单位{i:02}"), "", Tier::Ordinary))
        .collect();
    let fonts = Fonts::bundled().unwrap();
    let (_, doc) = r
        .certificates_document(&ids, fonts, &on("2026-11-20"), true)
        .unwrap();
    let preview = cceaa_core::Preview::of(&doc);
    assert_eq!(preview.svg.len(), 20);
    assert_eq!(preview.total_pages, 25);
    // Each image once, beside the pages; each page draws them by reference.
    assert_eq!(preview.images.matches("<symbol").count(), 2);
    assert!(preview
        .svg
        .iter()
        .all(|p| p.matches("<use").count() == 2 && !p.contains("base64")));
    let total: usize = preview.svg.iter().map(String::len).sum::<usize>() + preview.images.len();
    assert!(
        total < 2 << 20,
        "{total} bytes to the window (was about 270 MB)"
    );
    // At screen resolution: a 40 mm seal at 10 px/mm is at most 400 pixels across.
    use base64::Engine;
    for data in preview.images.split("base64,").skip(1) {
        let b64 = &data[..data.find('"').unwrap()];
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let info = decoder.read_info().unwrap();
        let (w, h) = (info.info().width, info.info().height);
        assert!(w <= 600 && h <= 600, "{w}×{h}");
    }
}
