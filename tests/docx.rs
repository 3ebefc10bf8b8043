//! .docx letters: the text read from a Word document gives the same findings as the same letter
//! saved as text (apart from `formatting`); formatting is found where it is; bad files get a clear
//! one-line error and exit status 2. Documents are written at test time by docx-rs, by hand (raw
//! XML in a zip, for what docx-rs cannot write), and by LibreOffice when `soffice` is installed.

#[path = "common/programs.rs"]
mod programs;

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use docx_rs::{
    BreakType, Delete, Docx, Footnote, Hyperlink, HyperlinkType, Insert, Paragraph, Run, RunFonts,
    Table, TableCell, TableRow,
};
use yasno_core::engine::LemmaCache;
use yasno_core::input::{self, InputError};
use yasno_core::{Document, Finding, Linter};

fn letters() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters");
    let mut files = Vec::new();
    for folder in ["good", "bad"] {
        for entry in fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10);
    files
}

fn pack(docx: Docx) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

fn load(bytes: &[u8]) -> Result<Document, InputError> {
    input::load_bytes(bytes.to_vec(), Ok(input::InputFormat::Docx))
}

fn check(doc: &Document) -> Vec<Finding> {
    let linter = Linter::with_default_rules().unwrap();
    linter.check(doc, &mut LemmaCache::new())
}

fn not_formatting(findings: Vec<Finding>) -> Vec<(String, std::ops::Range<usize>)> {
    findings
        .into_iter()
        .filter(|f| f.category != yasno_core::Category::Formatting)
        .map(|f| (f.code.to_string(), f.range))
        .collect()
}

/// A letter as Word writes it: one paragraph per block of lines, the line ends as line breaks,
/// empty paragraphs for blank lines, and every line cut into runs in the middle of words.
fn letter_as_docx(text: &str) -> Docx {
    let mut docx = Docx::new();
    let text = text.trim_end_matches('\n');
    for (b, block) in text.split("\n\n").enumerate() {
        if b > 0 {
            docx = docx.add_paragraph(Paragraph::new());
        }
        let mut p = Paragraph::new();
        for (i, line) in block.split('\n').enumerate() {
            if i > 0 {
                p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
            }
            let chars: Vec<char> = line.chars().collect();
            for (k, piece) in chars.chunks(5).enumerate() {
                let piece: String = piece.iter().collect();
                p = p.add_run(Run::new().add_text(piece));
                if k % 3 == 1 {
                    p = p.add_bookmark_start(k, format!("b{k}")).add_bookmark_end(k);
                }
            }
        }
        docx = docx.add_paragraph(p);
    }
    docx
}

#[test]
fn letters_read_from_docx_give_the_findings_of_the_text() {
    let mut compared = 0;
    for path in letters() {
        let text = fs::read_to_string(&path).unwrap();
        let doc = load(&pack(letter_as_docx(&text))).unwrap();
        // Empty paragraphs give the blank lines back: the text is the letter's own.
        assert_eq!(
            doc.text(),
            text.trim_end_matches('\n'),
            "{}",
            path.display()
        );
        let from_docx = not_formatting(check(&doc));
        let from_text = not_formatting(check(&Document::new(text.trim_end_matches('\n'))));
        assert_eq!(from_docx, from_text, "{}", path.display());
        compared += from_text.len();
    }
    assert!(compared > 20, "the letters have findings to compare");
}

#[test]
fn parts_tables_links_and_tracked_changes_are_read() {
    let mut footnote = Footnote::new();
    footnote.add_content(
        Paragraph::new().add_run(Run::new().add_text("Статья 11 Федерального закона № 59-ФЗ.")),
    );
    let docx = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Мы прове"))
                .add_run(Run::new().add_text("рили дом"))
                .add_insert(Insert::new(Run::new().add_text(" быстро")))
                .add_delete(Delete::new().add_run(Run::new().add_delete_text(" медленно")))
                .add_run(Run::new().add_text(" скрыто").vanish())
                .add_run(Run::new().add_text(".").add_footnote_reference(footnote)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Оцените ответ:\t"))
                .add_hyperlink(
                    Hyperlink::new("https://opros.example.ru/r/1", HyperlinkType::External)
                        .add_run(Run::new().add_text("пройти опрос").underline("single")),
                ),
        )
        .add_table(Table::new(vec![TableRow::new(vec![
            TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("Срок"))),
            TableCell::new().add_paragraph(
                Paragraph::new().add_run(Run::new().add_text("до 1 декабря").italic()),
            ),
        ])]));
    let doc = load(&pack(docx)).unwrap();
    let text = doc.text();
    assert!(
        text.starts_with(
            "Мы проверили дом быстро.\nОцените ответ:\tпройти опрос\nСрок\nдо 1 декабря"
        )
    );
    assert!(!text.contains("медленно") && !text.contains("скрыто"));
    assert!(
        text.contains("Статья 11 Федерального закона № 59-ФЗ."),
        "{text:?}"
    );
    let rich = doc.rich.as_ref().unwrap();
    let links = rich.hyperlinks();
    assert_eq!(links.len(), 1);
    assert_eq!(&text[links[0].0.clone()], "пройти опрос");
    assert_eq!(&*links[0].1, "https://opros.example.ru/r/1");
    let cell = rich.block_at(text.find("до 1").unwrap()).unwrap();
    assert_eq!(
        (
            cell.paragraph,
            cell.cell.unwrap().row,
            cell.cell.unwrap().cell
        ),
        (4, 1, 2)
    );
    let note = rich.block_at(text.find("Статья").unwrap()).unwrap();
    assert_eq!(note.part.name(), "footnote");
    // The underlined link is not emphasis; the italic cell is, as one finding.
    let formatting: Vec<String> = check(&doc)
        .into_iter()
        .filter(|f| f.code.starts_with("FM"))
        .map(|f| format!("{} {}", f.code, doc.slice(f.range)))
        .collect();
    assert_eq!(formatting, vec!["FM001 до 1 декабря"]);
}

#[test]
fn serif_fonts_and_symbol_fonts_are_found() {
    let times = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    let docx = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Приём по ").fonts(times.clone()))
                .add_run(Run::new().add_text("вторникам.").fonts(times.clone())),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Ещё абзац.").fonts(times)))
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text("J")
                        .fonts(RunFonts::new().ascii("Wingdings").hi_ansi("Wingdings")),
                )
                .add_run(
                    Run::new()
                        .add_text(" Ждём Вас.")
                        .fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial")),
                ),
        );
    let doc = load(&pack(docx)).unwrap();
    let found: Vec<String> = check(&doc)
        .into_iter()
        .filter(|f| f.code.starts_with("FM"))
        .map(|f| format!("{} {}", f.code, doc.slice(f.range)))
        .collect();
    assert_eq!(found, vec!["FM002 Приём по вторникам.", "FM002 J"]);
}

/// A package written by hand, for what docx-rs does not write (fields, comments, damaged XML).
fn raw_docx(document: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"><w:body>{document}</w:body></w:document>"#
            ),
        ),
    ];
    for (name, content) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn field_codes_comments_and_spell_check_marks_are_not_text() {
    let doc = load(&raw_docx(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Ответ от </w:t></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "dd.MM.yyyy" </w:instrText></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>01.12.2026</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        r#"<w:commentRangeStart w:id="0"/><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve"> гото</w:t></w:r><w:proofErr w:type="spellEnd"/>"#,
        r#"<w:r><w:t>в.</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#,
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://opros.example.ru" </w:instrText></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>пройти опрос</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
    )))
    .unwrap();
    assert_eq!(doc.text(), "Ответ от 01.12.2026 готов.\nпройти опрос");
    let links = doc.rich.as_ref().unwrap().hyperlinks();
    assert_eq!(&*links[0].1, "https://opros.example.ru");
}

fn yasno(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_files_get_one_clear_line_and_status_2() {
    let dir = std::env::temp_dir().join(format!("yasno-docx-bad-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut encrypted = ole.to_vec();
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let mut not_docx = zip::ZipWriter::new(Cursor::new(Vec::new()));
    not_docx
        .start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    not_docx.write_all(b"hello").unwrap();
    let not_docx = not_docx.finish().unwrap().into_inner();
    let mut truncated = pack(letter_as_docx("Здравствуйте!"));
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "text.docx",
            "Просто текст".as_bytes().to_vec(),
            "not a zip archive",
        ),
        ("archive.docx", not_docx, "not a Word document"),
        (
            "old.doc",
            ole.to_vec(),
            "old Word .doc format: save as .docx",
        ),
        ("old-renamed.docx", ole.to_vec(), "old Word .doc format"),
        ("secret.docx", encrypted, "password-protected"),
        ("truncated.docx", truncated, "cannot read as .docx"),
        (
            "broken.docx",
            raw_docx("<w:p><w:r><w:t>обрыв</w:r></w:p"),
            "cannot read as .docx",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let (status, _, stderr) = yasno(&["check", path.to_str().unwrap()]);
        assert_eq!(status, 2, "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn json_and_human_output_say_where_in_the_document() {
    let dir = std::env::temp_dir().join(format!("yasno-docx-out-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let docx = Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Здравствуйте!")))
        .add_table(Table::new(vec![TableRow::new(vec![
            TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("Срок"))),
            TableCell::new().add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("В связи с вышеизложенным "))
                    .add_run(Run::new().add_text("ответ готов.")),
            ),
        ])]));
    let path = dir.join("table.docx");
    fs::write(&path, pack(docx)).unwrap();
    let (_, stdout, _) = yasno(&["check", "--format", "json", path.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let diagnostic = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["text"] == "В связи с вышеизложенным")
        .expect("the jargon in the table is found");
    assert_eq!(
        diagnostic["location"],
        serde_json::json!({"part": "body", "paragraph": 3, "table": 1, "row": 1, "cell": 2})
    );
    let start = diagnostic["start"].as_u64().unwrap() as usize;
    let doc = input::load_path(&path).unwrap();
    assert_eq!(&doc.text()[start..start + "В связи".len()], "В связи");
    let (_, human, _) = yasno(&["check", "--no-color", path.to_str().unwrap()]);
    assert!(
        human.contains("(абзац 3, таблица 1, строка 1, ячейка 2)"),
        "{human}"
    );
    assert!(
        human.contains("| В связи с вышеизложенным ответ готов."),
        "{human}"
    );
    let _ = fs::remove_dir_all(&dir);
}

// LibreOffice-written documents. Skipped (with a note) where `soffice` is not installed, and
// failed in CI, which installs it.

fn soffice() -> Option<&'static str> {
    programs::available(
        "soffice",
        &["--version"],
        "apt-get install libreoffice-writer-nogui",
    )
    .then_some("soffice")
}

fn convert(soffice: &str, inputs: &[PathBuf], dir: &Path) {
    let profile = dir.join("profile");
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(dir)
        .args(inputs)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice failed: {status:?}");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Findings as (code, text) with whitespace collapsed: offsets differ when lines are re-wrapped.
fn by_text(doc: &Document, findings: Vec<Finding>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = findings
        .into_iter()
        .filter(|f| f.category != yasno_core::Category::Formatting)
        .map(|f| {
            let text = doc
                .slice(f.range)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (f.code.to_string(), text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn letters_written_by_libreoffice_give_the_findings_of_the_text() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("yasno-docx-lo-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut inputs = Vec::new();
    for path in letters() {
        let text = fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut html = String::from("<html><head><meta charset=\"utf-8\"></head><body>\n");
        for block in text.trim_end().split("\n\n") {
            // Each line break of the text as a line break in the paragraph.
            let lines: Vec<String> = block.lines().map(escape).collect();
            html.push_str(&format!("<p>{}</p>\n", lines.join("<br>")));
        }
        html.push_str("</body></html>\n");
        let html_path = dir.join(format!("{folder}_{stem}.html"));
        fs::write(&html_path, html).unwrap();
        inputs.push(html_path);
    }
    // One formatted letter: italics, underlining, highlighting, a link, a serif font, a table.
    let formatted = dir.join("formatted.html");
    fs::write(
        &formatted,
        concat!(
            "<html><head><meta charset=\"utf-8\"></head><body>",
            "<p style=\"font-family: 'Liberation Sans'\">Здравствуйте, Анна Сергеевна!</p>",
            "<p style=\"font-family: 'Liberation Sans'\">Мы <i>проверили</i> дом. <u>Фильтр</u> ",
            "прочистят <span style=\"background: yellow\">до 25 ноября</span>.</p>",
            "<p style=\"font-family: 'Liberation Sans'\">Оцените ответ: <a href=\"https://opros.example.ru/r/7\">пройти опрос</a>.</p>",
            "<p style=\"font-family: 'Times New Roman'\">Инспектор Олег Романов</p>",
            "<table><tr><td style=\"font-family: 'Liberation Sans'\">Срок</td>",
            "<td style=\"font-family: 'Liberation Sans'\">до 1 декабря</td></tr></table>",
            "</body></html>"
        ),
    )
    .unwrap();
    inputs.push(formatted);
    convert(soffice, &inputs, &dir);

    let mut compared = 0;
    for path in letters() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let docx = dir.join(format!("{folder}_{stem}.docx"));
        let doc = input::load_path(&docx).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let plain = Document::new(text.as_str());
        let expected = by_text(&plain, check(&plain));
        assert_eq!(by_text(&doc, check(&doc)), expected, "{}", docx.display());
        compared += expected.len();
    }
    assert!(compared > 20);

    let doc = input::load_path(&dir.join("formatted.docx")).unwrap();
    let found: Vec<String> = check(&doc)
        .into_iter()
        .filter(|f| f.code.starts_with("FM"))
        .map(|f| format!("{} {}", f.code, doc.slice(f.range)))
        .collect();
    assert_eq!(
        found,
        vec![
            "FM001 проверили",
            "FM001 Фильтр",
            "FM001 до 25 ноября",
            "FM002 Инспектор Олег Романов",
        ],
        "{:?}",
        doc.rich
    );
    let links = doc.rich.as_ref().unwrap().hyperlinks();
    assert!(
        links
            .iter()
            .any(|(r, t)| &doc.text()[r.clone()] == "пройти опрос"
                && &**t == "https://opros.example.ru/r/7")
    );
    let cell = doc
        .rich
        .as_ref()
        .unwrap()
        .block_at(doc.text().find("до 1 декабря").unwrap())
        .unwrap();
    assert_eq!(cell.cell.map(|c| (c.table, c.row, c.cell)), Some((1, 1, 2)));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn text_converted_by_libreoffice_is_read_line_by_line() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("yasno-docx-lo-txt-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let txt = dir.join("letter.txt");
    fs::write(
        &txt,
        "Здравствуйте!\n\nВ связи с вышеизложенным ответ готов.\n",
    )
    .unwrap();
    convert(soffice, std::slice::from_ref(&txt), &dir);
    let doc = input::load_path(&dir.join("letter.docx")).unwrap();
    assert!(
        doc.text()
            .starts_with("Здравствуйте!\n\nВ связи с вышеизложенным ответ готов.")
    );
    let plain = Document::new(fs::read_to_string(&txt).unwrap());
    assert_eq!(by_text(&doc, check(&doc)), by_text(&plain, check(&plain)));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_survey_link_may_be_a_hyperlink_with_words_only() {
    let body = [
        "Здравствуйте, Анна Сергеевна!",
        "Мы пересчитали плату за отопление. Переплата составила 1 240 рублей. Деньги вернём до 5 декабря на Ваш лицевой счёт.",
        "Если останутся вопросы, позвоните инспектору по телефону 30-12-45.",
    ];
    let letter = |link: Option<&str>| {
        let mut docx = Docx::new();
        for text in body {
            docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)));
        }
        let mut closing = Paragraph::new().add_run(Run::new().add_text("Пожалуйста, "));
        closing = match link {
            Some(target) => closing.add_hyperlink(
                Hyperlink::new(target, HyperlinkType::External)
                    .add_run(Run::new().add_text("оцените наш ответ")),
            ),
            None => closing.add_run(Run::new().add_text("позвоните, если что-то неясно")),
        };
        docx = docx.add_paragraph(closing.add_run(Run::new().add_text(".")));
        check(&load(&pack(docx)).unwrap())
    };
    let survey = |findings: Vec<Finding>| findings.iter().filter(|f| &*f.code == "SV001").count();
    assert_eq!(
        survey(letter(Some("https://pos.gosuslugi.ru/lkp/polls/12345/"))),
        0
    );
    assert_eq!(survey(letter(None)), 1);
}

/// A text box as Word writes it: the drawing in `mc:Choice`, and a legacy copy of the same text
/// in `mc:Fallback`. Its text is checked once, and its findings say they are in a text box.
#[test]
fn text_boxes_are_read_once() {
    let text_box = |text: &str| {
        format!(
            concat!(r#"<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>"#),
            text
        )
    };
    let inside = "Ваш вопрос взят на контроль.";
    let doc = load(&raw_docx(&format!(
        concat!(
            r#"<w:p><w:r><w:t xml:space="preserve">Ответ готов. </w:t></w:r><w:r><mc:AlternateContent>"#,
            r#"<mc:Choice Requires="wps"><w:drawing><wp:anchor simplePos="0" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" relativeHeight="2">"#,
            r#"<wp:simplePos x="0" y="0"/><wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="Надпись 1"/>"#,
            r#"<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">"#,
            r#"<wps:wsp><wps:txbx>{box}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"#,
            r#"<mc:Fallback><w:pict><v:shape style="width:144pt;height:36pt"><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"#,
            r#"</mc:AlternateContent></w:r><w:r><w:t>Всего доброго.</w:t></w:r></w:p>"#,
        ),
        box = text_box(inside)
    )))
    .unwrap();
    assert_eq!(doc.text(), format!("Ответ готов. Всего доброго.\n{inside}"));
    let findings = check(&doc);
    let in_box: Vec<_> = findings
        .iter()
        .filter(|f| f.code.as_ref() == "FB001")
        .collect();
    assert_eq!(in_box.len(), 1, "{findings:?}");
    let block = doc
        .rich
        .as_ref()
        .unwrap()
        .block_at(in_box[0].range.start)
        .unwrap();
    assert_eq!(
        (block.part, block.paragraph),
        (yasno_core::text::rich::Part::TextBox, 1)
    );
    // A legacy box (VML only, as older Word versions write it) is read too.
    let doc = load(&raw_docx(&format!(
        concat!(
            r#"<w:p><w:r><w:t>Ответ готов.</w:t></w:r><w:r><w:pict><v:shape style="width:144pt">"#,
            r#"<v:textbox>{}</v:textbox></v:shape></w:pict></w:r></w:p>"#,
        ),
        text_box("Меры &amp; взят на кон&#x200B;троль.")
    )))
    .unwrap();
    assert_eq!(doc.text(), "Ответ готов.\nМеры & взят на кон\u{200B}троль.");
    let findings = check(&doc);
    assert!(
        findings.iter().any(|f| f.code.as_ref() == "FB001"),
        "{findings:?}"
    );
    // The human report names the place.
    let dir = std::env::temp_dir().join(format!("yasno-text-box-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("box.docx");
    fs::write(
        &path,
        raw_docx(&format!(
            r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
            text_box(inside)
        )),
    )
    .unwrap();
    let (_, out, _) = yasno(&["check", path.to_str().unwrap()]);
    assert!(
        out.contains("FB001") && out.contains("надпись, абзац 1"),
        "{out}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Character references (`&#1040;`, `&#x410;`) mean their characters wherever XML allows them:
/// in the text, in a footnote and in a relationship's target (a link's address).
#[test]
fn character_references_are_resolved_in_every_part() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="{relationships}/hyperlink" Target="https://&#x6F;pros.example.ru/&#1072;?a=1&#38;b=2" TargetMode="External"/><Relationship Id="rId6" Type="{relationships}/footnotes" Target="foot&#110;otes.xml"/></Relationships>"#),
        ),
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body><w:p><w:r><w:t xml:space="preserve">&#1040;&#x411;В &amp; </w:t></w:r><w:hyperlink r:id="rId5"><w:r><w:t>опрос</w:t></w:r></w:hyperlink><w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:body></w:document>"#),
        ),
        (
            "word/footnotes.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {w}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="&#49;"><w:p><w:r><w:t>&#x421;носка</w:t></w:r></w:p></w:footnote></w:footnotes>"#),
        ),
    ];
    for (name, content) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    let doc = load(&zip.finish().unwrap().into_inner()).unwrap();
    assert_eq!(doc.text(), "АБВ & опрос\nСноска");
    let links = doc.rich.as_ref().unwrap().hyperlinks();
    assert_eq!(&*links[0].1, "https://opros.example.ru/а?a=1&b=2");
}
