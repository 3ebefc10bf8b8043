//! Finding an annotated fragment in a letter (tests/letters.rs, tests/accuracy.rs).

use std::ops::Range;

/// Where `fragment` occurs in `text`, a space in the fragment standing for any run of whitespace.
pub fn occurrences(text: &str, fragment: &str) -> Vec<Range<usize>> {
    let words: Vec<&str> = fragment.split_whitespace().collect();
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(first) {
        let start = from + at;
        let mut end = start + first.len();
        let mut whole = true;
        for word in &words[1..] {
            let rest = &text[end..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || !trimmed.starts_with(word) {
                whole = false;
                break;
            }
            end += rest.len() - trimmed.len() + word.len();
        }
        if whole {
            found.push(start..end);
        }
        from = start + first.len();
    }
    found
}
