//! Memory bounded by the input: `yasno check` on a large letter and on a .docx that unpacks to far
//! more XML than a letter has, with the peak memory of the process read from the kernel (`wait4`).
//! `cargo test --release --test limits -- --nocapture` prints the figures quoted in
//! docs/performance.md.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const LETTER: &str = "Уважаемый Иван Петрович! В связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль. Ремонт крыши дома будет выполнен в срок.\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a run of `yasno` printed, its exit status and its peak resident memory in KiB.
struct Measured {
    code: i32,
    stdout_bytes: usize,
    stderr: String,
    peak_kb: u64,
}

/// Runs `yasno` in `dir` and reaps it with `wait4`, which reports the peak memory of that child
/// alone (other tests' children run at the same time).
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which std's wait does not expose"
)]
fn measured(dir: &Path, args: &[&str]) -> Measured {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills; the pid is our own unreaped child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 reaps the child");
    Measured {
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        stdout_bytes: out.join().unwrap().unwrap() as usize,
        stderr: err.join().unwrap(),
        // Linux gives ru_maxrss in KiB.
        peak_kb: usage.ru_maxrss as u64,
    }
}

/// The peak of `yasno check` on a short letter: the rules and the dictionary, whatever the input.
fn baseline_kb(dir: &Path) -> u64 {
    std::fs::write(dir.join("short.txt"), LETTER).unwrap();
    measured(
        dir,
        &["check", "--no-config", "--format", "json", "short.txt"],
    )
    .peak_kb
}

#[test]
fn checking_a_large_letter_takes_memory_under_20_times_its_size() {
    // Regression guard: the peak grows with the text, not with its square or its findings' copies.
    let dir = scratch("large");
    let baseline = baseline_kb(&dir);
    let text = LETTER.repeat(4 * 1024 * 1024 / LETTER.len());
    std::fs::write(dir.join("large.txt"), &text).unwrap();
    let text_kb = text.len() as u64 / 1024;
    for format in ["json", "human", "concise", "sarif"] {
        let run = measured(
            &dir,
            &["check", "--no-config", "--format", format, "large.txt"],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(
            run.stdout_bytes > text.len(),
            "{format}: every finding is printed"
        );
        let above = run.peak_kb.saturating_sub(baseline);
        println!(
            "check --format {format}: {text_kb} KB of text, peak {} KB ({baseline} KB for a short letter): {:.1}× the text",
            run.peak_kb,
            above as f64 / text_kb as f64
        );
        // SARIF writes a file's results as one pretty-printed array of about 1 KB a finding,
        // held until the file is done: its bound is that output, here 4 findings a sentence.
        let times = if format == "sarif" { 30 } else { 20 };
        assert!(
            above < times * text_kb,
            "{format}: peak {} KB, {baseline} KB for a short letter, {text_kb} KB of text",
            run.peak_kb
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A .docx with this `word/document.xml`, deflated.
fn docx(document_xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 3] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", document_xml),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Regression: a .docx of 713 KB holding 200 MB of XML took 13 GB; few bytes of XML can take as
/// much (docx-rs holds 2.7 KB for each empty paragraph). Both are refused, in bounded memory.
#[test]
fn a_docx_with_more_xml_or_elements_than_a_letter_is_refused_in_bounded_memory() {
    let dir = scratch("docx");
    let baseline = baseline_kb(&dir);
    let wrap = |inner: &str| {
        format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
        )
    };
    let cases = [
        (
            "xml.docx",
            wrap(&format!(
                "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
                "а ".repeat(5 * 1024 * 1024)
            )),
            "XML unpacks to more than",
        ),
        (
            "paragraphs.docx",
            wrap(&"<w:p/>".repeat(400_000)),
            "too many paragraphs",
        ),
    ];
    for (name, xml, reason) in cases {
        let bytes = docx(xml.as_bytes());
        std::fs::write(dir.join(name), &bytes).unwrap();
        let run = measured(&dir, &["check", "--no-config", name]);
        println!(
            "{name}: {} KB unpacking to {} KB of XML: refused, peak {} KB ({baseline} KB for a short letter)",
            bytes.len() / 1024,
            xml.len() / 1024,
            run.peak_kb
        );
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(name) && run.stderr.contains(reason),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.peak_kb < baseline + 64 * 1024,
            "{name}: peak {} KB, {baseline} KB for a short letter",
            run.peak_kb
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
