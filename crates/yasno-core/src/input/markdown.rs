//! Markdown: only the prose is checked. Code, HTML, link targets and markup become spaces of the same
//! byte length, so offsets still point into the original file; block ends become paragraph breaks.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub struct Masked {
    pub text: String,
    pub breaks: Vec<usize>,
}

pub fn mask(source: &str) -> Masked {
    let mut bytes: Vec<u8> = source
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut breaks = Vec::new();
    let mut in_code = 0usize;
    // Front matter is data for a site generator, not prose: it stays masked, and the Markdown
    // after it is parsed on its own (offsets shifted back below).
    let body_start = front_matter_end(source);
    if body_start > 0 {
        breaks.push(body_start);
    }
    let parser = Parser::new_ext(
        &source[body_start..],
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(_) if in_code == 0 => {
                bytes[range.clone()].copy_from_slice(&source.as_bytes()[range]);
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::Paragraph
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => {
                breaks.push(range.end);
            }
            _ => {}
        }
    }
    breaks.sort_unstable();
    breaks.dedup();
    // Only ASCII spaces replaced whole characters' bytes, so this is valid UTF-8 by construction.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Masked { text, breaks }
}

/// Where the front matter at the very top ends: a YAML block between `---` lines (closed by `---`
/// or `...`) or a TOML block between `+++` lines, as static site generators read them; 0 when
/// there is none.
fn front_matter_end(source: &str) -> usize {
    let mut lines = source.split_inclusive('\n');
    let opening = match lines.next().map(|line| line.trim_end_matches(['\r', '\n'])) {
        Some("---") => "---",
        Some("+++") => "+++",
        _ => return 0,
    };
    let mut end = source.find('\n').map_or(source.len(), |i| i + 1);
    for line in lines {
        end += line.len();
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare == opening || (opening == "---" && bare == "...") {
            return end;
        }
    }
    // Never closed: an ordinary thematic break, not front matter.
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_link_targets_are_masked_offsets_kept() {
        let source =
            "# Ответ\nСм. [сайт](https://x.ru/в-целях) и `в целях`.\n\n```\nв целях\n```\n";
        let masked = mask(source);
        assert_eq!(masked.text.len(), source.len());
        assert!(masked.text.contains("Ответ"));
        assert!(masked.text.contains("сайт"));
        assert!(!masked.text.contains("целях"));
        assert!(
            masked
                .breaks
                .contains(&source.find("\nСм").unwrap().saturating_add(1))
                || !masked.breaks.is_empty()
        );
    }

    #[test]
    fn front_matter_is_masked_whole() {
        for source in [
            "---\ntitle: В настоящее время\n---\nВ данном случае ответ дан.\n",
            "+++\r\ntitle = \"В настоящее время\"\r\n+++\r\nВ данном случае ответ дан.\r\n",
            "---\ntitle: В настоящее время\n...\nВ данном случае ответ дан.\n",
        ] {
            let masked = mask(source);
            assert_eq!(masked.text.len(), source.len());
            assert!(!masked.text.contains("настоящее"), "{source:?}");
            assert!(!masked.text.contains("title"), "{source:?}");
            let body = source.find("В данном").unwrap();
            assert_eq!(&masked.text[body..], &source[body..]);
            assert!(masked.breaks.contains(&body), "{source:?}");
        }
    }

    #[test]
    fn a_rule_that_is_not_front_matter_is_kept() {
        // Not at the top, or never closed: thematic breaks around prose.
        for source in [
            "Ответ.\n\n---\nВ настоящее время\n---\n",
            "---\nВ настоящее время долг погашен.\n",
        ] {
            assert!(
                mask(source).text.contains("В настоящее время"),
                "{source:?}"
            );
        }
    }
}
