//! The application form 《中国跨境电子商务应用联盟入盟申请表》 (charter Art. 10(1)): A4
//! portrait, a ruled table in the manner of a Chinese government form. Printed blank to send
//! to an applicant, or filled in from an application or a member for signature. Boxes for
//! the recommenders' stamps, the applicant's declaration, stamp and date, and the
//! secretariat's review stay empty: they are for ink.

use chrono::NaiveDate;

use super::certificate::{check_glyphs, ALLIANCE_ZH};
use super::{Align, Face, Fonts, Page, Pen, Rgb, A4_LONG, A4_SHORT, MM_PER_PT};
use crate::error::{Error, Result};
use crate::member::Person;

/// What the form is filled with; all empty for the blank form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData {
    /// The application's number, when printed from one.
    pub application_no: Option<i64>,
    pub name: String,
    pub name_en: String,
    pub kind: String,
    pub origin: String,
    /// The unified social credit code, or an overseas unit's registration number.
    pub code: String,
    pub place: String,
    pub address: String,
    pub website: String,
    pub head: Person,
    pub liaison: Person,
    pub intro: String,
    /// Recommending members: name and member number.
    pub recommenders: Vec<(String, String)>,
    pub received: Option<NaiveDate>,
}

const LEFT: f32 = 15.0;
const WIDTH: f32 = A4_SHORT - 2.0 * LEFT;
const LABEL: f32 = 31.0;
const HALF: f32 = (WIDTH - 2.0 * LABEL) / 2.0;
const RULE: Rgb = Rgb(0x33, 0x33, 0x33);
const SHADE: Rgb = Rgb(0xf2, 0xf2, 0xf2);
/// As many recommenders as the page has room for, with their stamp boxes.
pub const MAX_RECOMMENDERS: usize = 4;

struct Grid<'a> {
    pen: Pen<'a>,
    y: f32,
}

impl Grid<'_> {
    /// A shaded row across the table with a section's title.
    fn section(&mut self, zh: &str, en: &str) {
        let h = 6.5;
        self.pen
            .rect(LEFT, self.y, WIDTH, h, Some((0.5, RULE)), Some(SHADE));
        self.pen.text(
            LEFT + 2.0,
            self.y + 4.6,
            Align::Left,
            Face::Sans,
            9.5,
            Rgb::BLACK,
            0.5,
            zh,
        );
        self.pen.text(
            LEFT + WIDTH - 2.0,
            self.y + 4.6,
            Align::Right,
            Face::Sans,
            7.0,
            Rgb::GREY,
            0.0,
            en,
        );
        self.y += h;
    }

    /// A row of label and value cells; `cells` are (label zh, label en, value, value width).
    fn row(&mut self, h: f32, cells: &[(&str, &str, &str, f32)]) -> Result<()> {
        let mut x = LEFT;
        for (zh, en, value, w) in cells {
            self.pen
                .rect(x, self.y, LABEL, h, Some((0.5, RULE)), Some(SHADE));
            let mid = self.y + h / 2.0;
            self.pen.text(
                x + LABEL / 2.0,
                mid + 0.2,
                Align::Center,
                Face::Sans,
                8.5,
                Rgb::BLACK,
                0.0,
                zh,
            );
            self.pen.text(
                x + LABEL / 2.0,
                mid + 3.4,
                Align::Center,
                Face::Sans,
                6.0,
                Rgb::GREY,
                0.0,
                en,
            );
            self.pen
                .rect(x + LABEL, self.y, *w, h, Some((0.5, RULE)), None);
            self.text_in(x + LABEL, self.y, *w, h, value, 10.0, zh, true)?;
            x += LABEL + w;
        }
        self.y += h;
        Ok(())
    }

    /// Sets `text` inside a box as large as fits, from `size` down to 6.5 points, centred
    /// on the box's height or from its top. Text that does not fit even then is refused with
    /// the field's name: the form never drops or overprints what the applicant wrote.
    #[allow(clippy::too_many_arguments)]
    fn text_in(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        text: &str,
        size: f32,
        label: &str,
        centred: bool,
    ) -> Result<()> {
        if text.trim().is_empty() {
            return Ok(());
        }
        const LEAD: f32 = 1.3;
        let Some((s, lines)) =
            self.pen
                .fit_box(Face::Serif, size, 6.5, text.trim(), w - 4.0, h - 2.0, LEAD)
        else {
            return Err(Error::refused(
                crate::error::ErrorCode::FormTextTooLong,
                format!("“{label}”的内容太长，申请表上放不下。请精简后再打印，或另附说明。"),
                format!("'{label}' is too long to fit on the form. Shorten it before printing, or attach it separately."),
            ));
        };
        let lead = s * MM_PER_PT * LEAD;
        let block = lead * lines.len() as f32;
        let top = if centred {
            y + (h - block) / 2.0
        } else {
            y + 1.5
        };
        let mut base = top + s * MM_PER_PT * 0.95;
        for line in &lines {
            self.pen.text(
                x + 2.0,
                base,
                Align::Left,
                Face::Serif,
                s,
                Rgb::BLACK,
                0.0,
                line,
            );
            base += lead;
        }
        Ok(())
    }

    /// A tall box across the table: a label on the left and free text (or ink) on the right.
    fn tall(&mut self, h: f32, zh: &str, en: &str, text: &str) -> Result<()> {
        self.pen
            .rect(LEFT, self.y, LABEL, h, Some((0.5, RULE)), Some(SHADE));
        let mid = self.y + h / 2.0;
        self.pen.text(
            LEFT + LABEL / 2.0,
            mid,
            Align::Center,
            Face::Sans,
            8.5,
            Rgb::BLACK,
            0.0,
            zh,
        );
        self.pen.text(
            LEFT + LABEL / 2.0,
            mid + 3.2,
            Align::Center,
            Face::Sans,
            6.0,
            Rgb::GREY,
            0.0,
            en,
        );
        let w = WIDTH - LABEL;
        self.pen
            .rect(LEFT + LABEL, self.y, w, h, Some((0.5, RULE)), None);
        self.text_in(
            LEFT + LABEL + 0.5,
            self.y + 1.0,
            w - 1.0,
            h - 2.0,
            text,
            9.5,
            zh,
            false,
        )?;
        self.y += h;
        Ok(())
    }
}

fn signature_line(pen: &mut Pen, x: f32, y: f32, zh: &str) {
    pen.text(x, y, Align::Left, Face::Serif, 10.0, Rgb::BLACK, 0.0, zh);
}

/// Lays out the form, filled with `d` (all empty for the blank form).
pub fn page(fonts: &Fonts, d: &FormData) -> Result<Page> {
    let mut parts: Vec<(&str, &str, Face)> = vec![
        ("单位名称 / name", &d.name, Face::Serif),
        ("英文名称 / English name", &d.name_en, Face::Serif),
        ("代码 / code", &d.code, Face::Serif),
        ("地址 / address", &d.address, Face::Serif),
        ("网址 / website", &d.website, Face::Serif),
        ("所在地 / location", &d.place, Face::Serif),
        ("单位简介 / introduction", &d.intro, Face::Serif),
    ];
    for (who, p) in [
        ("负责人 / responsible person", &d.head),
        ("联络员 / liaison", &d.liaison),
    ] {
        for field in [&p.name, &p.title, &p.phone, &p.email] {
            parts.push((who, field, Face::Serif));
        }
    }
    if d.recommenders.len() > MAX_RECOMMENDERS {
        return Err(Error::refused(
            crate::error::ErrorCode::FormTooManyRecommenders,
            format!("申请表最多列出 {MAX_RECOMMENDERS} 家推荐单位（本申请有 {} 家）；请打印空白表手工填写，或另附推荐单位名单。", d.recommenders.len()),
            format!("The form lists at most {MAX_RECOMMENDERS} recommenders (this application has {}); print the blank form and fill it in by hand, or attach a list.", d.recommenders.len()),
        ));
    }
    for (name, _) in &d.recommenders {
        parts.push(("推荐单位 / recommender", name, Face::Serif));
    }
    check_glyphs(fonts, &parts)?;

    let mut g = Grid {
        pen: Pen::new(fonts, A4_SHORT, A4_LONG),
        y: 0.0,
    };
    let p = &mut g.pen;
    let mid = A4_SHORT / 2.0;
    p.text(
        mid,
        22.0,
        Align::Center,
        Face::SerifBold,
        17.0,
        Rgb::BLACK,
        1.0,
        &format!("{ALLIANCE_ZH}入盟申请表"),
    );
    p.text(
        mid,
        28.0,
        Align::Center,
        Face::Sans,
        8.0,
        Rgb::GREY,
        0.3,
        "Application for Membership · China Cross-border E-commerce Application Alliance",
    );
    let no = d
        .application_no
        .map(|n| format!("第 {n} 号"))
        .unwrap_or_default();
    p.text(
        LEFT,
        36.0,
        Align::Left,
        Face::Serif,
        9.5,
        Rgb::BLACK,
        0.0,
        &format!("申请编号：{no}"),
    );
    let date = d
        .received
        .map(super::certificate::date_zh)
        .unwrap_or_else(|| "　　　　年　　月　　日".into());
    p.text(
        LEFT + WIDTH,
        36.0,
        Align::Right,
        Face::Serif,
        9.5,
        Rgb::BLACK,
        0.0,
        &format!("收件日期：{date}"),
    );
    g.y = 39.0;

    g.section("一、申请单位基本信息", "The applicant");
    let full = WIDTH - LABEL;
    g.row(8.0, &[("单位名称", "Name", &d.name, full)])?;
    g.row(8.0, &[("英文名称", "English name", &d.name_en, full)])?;
    g.row(
        8.0,
        &[
            ("单位类型", "Kind", &d.kind, HALF),
            ("境内 / 境外", "Domestic / overseas", &d.origin, HALF),
        ],
    )?;
    g.row(
        8.0,
        &[
            ("统一社会信用代码", "Credit code / reg. no.", &d.code, HALF),
            ("所在地", "Location", &d.place, HALF),
        ],
    )?;
    g.row(8.0, &[("通讯地址", "Address", &d.address, full)])?;
    g.row(8.0, &[("单位网址", "Website", &d.website, full)])?;
    for (zh, en, person) in [
        ("二、负责人", "Responsible person", &d.head),
        ("三、联络员", "Liaison", &d.liaison),
    ] {
        g.section(zh, en);
        g.row(
            8.0,
            &[
                ("姓名", "Name", &person.name, HALF),
                ("职务", "Title", &person.title, HALF),
            ],
        )?;
        g.row(
            8.0,
            &[
                ("电话", "Phone", &person.phone, HALF),
                ("电子邮箱", "E-mail", &person.email, HALF),
            ],
        )?;
    }
    g.section("四、单位简介及业务范围", "Introduction and business");
    // Three or four recommenders take rows from the introduction's box.
    let rec_rows = d.recommenders.len().max(2);
    let rec_h = if rec_rows <= 2 { 12.0 } else { 8.0 };
    let intro_h = 34.0 - (rec_rows as f32 * rec_h - 24.0);
    g.tall(intro_h, "单位简介", "Introduction", &d.intro)?;

    g.section(
        "五、推荐单位（须为本联盟成员，至少一家）",
        "Recommending members (Art. 9)",
    );
    let mut recs: Vec<(String, String)> = d.recommenders.clone();
    while recs.len() < 2 {
        recs.push((String::new(), String::new()));
    }
    for (name, no) in &recs {
        let w_no = 30.0;
        let w_name = full - w_no - LABEL;
        let y = g.y;
        g.row(
            rec_h,
            &[
                ("推荐单位", "Recommender", name, w_name),
                ("盖章 / 签字", "Stamp / signature", "", w_no),
            ],
        )?;
        if !no.is_empty() {
            g.pen.text(
                LEFT + LABEL + w_name - 2.0,
                y + rec_h - 1.5,
                Align::Right,
                Face::Sans,
                7.0,
                Rgb::GREY,
                0.0,
                &format!("成员编号 {no}"),
            );
        }
    }

    g.section("六、申请单位声明", "Declaration");
    let y = g.y;
    g.tall(30.0, "声明", "Declaration", "")?;
    let x = LEFT + LABEL + 2.5;
    let p = &mut g.pen;
    let declaration = format!(
        "本单位自愿申请加入{ALLIANCE_ZH}，承认并遵守《{ALLIANCE_ZH}章程》，履行成员义务；所填内容真实，附单位证照及单位简介。"
    );
    let mut base = y + 6.0;
    for line in p.wrap(Face::Serif, 10.0, &declaration, full - 5.0) {
        p.text(
            x,
            base,
            Align::Left,
            Face::Serif,
            10.0,
            Rgb::BLACK,
            0.0,
            &line,
        );
        base += 5.0;
    }
    signature_line(p, x, y + 24.5, "申请单位（盖章）：");
    signature_line(p, x + 58.0, y + 24.5, "负责人（签字）：");
    signature_line(p, x + 104.0, y + 24.5, "日期：　　年　　月　　日");

    g.section("七、秘书处审核意见（由秘书处填写）", "For the secretariat");
    let y = g.y;
    g.tall(24.0, "审核意见", "Review", "")?;
    signature_line(&mut g.pen, x + 58.0, y + 19.0, "审核人：");
    signature_line(&mut g.pen, x + 104.0, y + 19.0, "日期：　　年　　月　　日");
    g.pen.text(
        LEFT,
        A4_LONG - 10.0,
        Align::Left,
        Face::Sans,
        7.0,
        Rgb::GREY,
        0.0,
        "请随表附单位证照（营业执照或注册证书）复印件及单位简介（章程第十条第一项）。",
    );
    Ok(g.pen.page)
}

/// The application form's document title: blank, or for the unit `name`.
pub fn title(name: Option<&str>) -> String {
    match name {
        None => "入盟申请表".to_string(),
        Some(name) => format!("入盟申请表 {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Item;

    fn filled(intro: &str, recommenders: usize) -> FormData {
        FormData {
            name: "杭州𠮷祥跨境电子商务有限公司".into(),
            address: "浙江省杭州市滨江区网商路599号".repeat(3),
            intro: intro.into(),
            recommenders: (0..recommenders)
                .map(|i| (format!("推荐单位{i}"), format!("{:05}", i + 1)))
                .collect(),
            ..Default::default()
        }
    }

    /// Every text on the page lies inside the sheet's margins and holds no line break.
    fn inside(page: &Page, fonts: &Fonts) {
        let pen = Pen::new(fonts, page.width, page.height);
        for item in &page.items {
            if let Item::Text {
                x,
                y,
                size,
                face,
                text,
                ..
            } = item
            {
                let right = x + pen.width(*face, *size, 0.0, text);
                assert!(
                    *x >= 10.0 && right <= page.width - 10.0,
                    "{text:?} runs off the side"
                );
                assert!(
                    *y > 10.0 && *y < page.height - 5.0,
                    "{text:?} runs off the page at {y}"
                );
                assert!(
                    !text.contains('\n'),
                    "a line break printed as a character: {text:?}"
                );
            }
        }
    }

    #[test]
    fn a_long_introduction_in_paragraphs_and_four_recommenders_stay_on_the_page() {
        let fonts = Fonts::bundled().unwrap();
        let intro =
            "主营跨境电商出口，覆盖东盟与欧洲市场。\n".repeat(5) + "第二段：海外仓与物流服务。";
        let page = page(fonts, &filled(&intro, MAX_RECOMMENDERS)).unwrap();
        inside(&page, fonts);
        let texts: Vec<&str> = page.texts().collect();
        assert!(
            texts.contains(&"第二段：海外仓与物流服务。"),
            "the last paragraph is printed"
        );
        for i in 0..MAX_RECOMMENDERS {
            assert!(texts.contains(&format!("推荐单位{i}").as_str()));
        }
    }

    #[test]
    fn text_that_cannot_fit_is_refused_not_dropped() {
        let fonts = Fonts::bundled().unwrap();
        let err = page(fonts, &filled(&"很长的单位简介。".repeat(400), 1)).unwrap_err();
        assert_eq!(err.report().code, "form_text_too_long");
        assert!(err.report().message.zh.contains("单位简介"));
        let err = page(fonts, &filled("", MAX_RECOMMENDERS + 1)).unwrap_err();
        assert_eq!(err.report().code, "form_too_many_recommenders");
    }

    #[test]
    fn the_blank_form_has_every_box_and_no_values() {
        let fonts = Fonts::bundled().unwrap();
        let page = page(fonts, &FormData::default()).unwrap();
        inside(&page, fonts);
        let all: String = page.texts().collect::<Vec<_>>().join("|");
        for s in [
            "一、申请单位基本信息",
            "五、推荐单位",
            "申请单位（盖章）：",
            "七、秘书处审核意见",
        ] {
            assert!(all.contains(s), "{s}");
        }
        assert!(
            !all.contains("第 "),
            "no application number on the blank form"
        );
    }
}
