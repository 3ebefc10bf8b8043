//! Visible formatting that the regulation asks to avoid (004 п. 3.10 (4)): italics, underlining,
//! whole words in capitals, coloured backgrounds (FM001); decorative symbols and serif fonts (FM002).
//! Formatting comes from `Document::rich` (a .docx); capitals and symbols are in the text itself,
//! so they are found in any format. One finding per stretch, however many runs it was written in.

use std::ops::Range;

use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, Rule, WordInfo};
use crate::finding::Finding;
use crate::morphology;
use crate::text::TokenKind;
use crate::text::rich::TextStyle;

pub struct Formatting;

/// The check of FM001 and FM002: which half a rule is, its `kind` says.
pub struct Styles;

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum StyleOptions {
    Emphasis {
        /// Shorter all-capital words are taken for abbreviations.
        min_capital_letters: usize,
        capital_exceptions: Vec<String>,
        messages: EmphasisMessages,
    },
    Symbols {
        serif_fonts: Vec<String>,
        symbol_fonts: Vec<String>,
        messages: SymbolMessages,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmphasisMessages {
    italic: String,
    underline: String,
    capitals: String,
    background: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolMessages {
    symbol: String,
    serif: String,
}

impl CheckKind for Styles {
    const NAME: &'static str = "formatting";
    const MANY_RULES: bool = true;
    type Options = StyleOptions;
    type Prepared = StyleOptions;
    /// The words and fonts put into the form they are compared in, once per rule.
    fn prepare(options: StyleOptions) -> StyleOptions {
        let lower = |fonts: Vec<String>| fonts.iter().map(|f| f.to_lowercase()).collect();
        match options {
            StyleOptions::Emphasis {
                min_capital_letters,
                capital_exceptions,
                messages,
            } => StyleOptions::Emphasis {
                min_capital_letters,
                capital_exceptions: capital_exceptions
                    .iter()
                    .map(|w| morphology::normalize(w))
                    .collect(),
                messages,
            },
            StyleOptions::Symbols {
                serif_fonts,
                symbol_fonts,
                messages,
            } => StyleOptions::Symbols {
                serif_fonts: lower(serif_fonts),
                symbol_fonts: lower(symbol_fonts),
                messages,
            },
        }
    }
}

impl Analyzer for Formatting {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<Styles>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for rule in cx.rules.for_check(Styles::NAME) {
            match rule.prepared::<Styles>() {
                StyleOptions::Emphasis {
                    min_capital_letters,
                    capital_exceptions,
                    messages,
                } => emphasis(
                    cx,
                    rule,
                    *min_capital_letters,
                    capital_exceptions,
                    messages,
                    findings,
                ),
                StyleOptions::Symbols {
                    serif_fonts,
                    symbol_fonts,
                    messages,
                } => symbols(cx, rule, serif_fonts, symbol_fonts, messages, findings),
            }
        }
    }
}

fn report(
    cx: &Context,
    rule: &Rule,
    template: &str,
    range: Range<usize>,
    font: Option<&str>,
    findings: &mut Vec<Finding>,
) {
    let mut finding = cx.finding(rule, range);
    let found = found_text(cx, &finding.range);
    finding.message = template
        .replace("{found}", &found)
        .replace("{font}", font.unwrap_or_default());
    findings.push(finding);
}

/// The quoted text as the rule messages show it: whitespace collapsed, long stretches cut.
fn found_text(cx: &Context, range: &Range<usize>) -> String {
    let words: Vec<&str> = cx.doc.slice(range.clone()).split_whitespace().collect();
    if words.len() > 8 {
        format!("{} …", words[..6].join(" "))
    } else {
        words.join(" ")
    }
}

/// Ranges joined when only whitespace lies between them; then trimmed, and dropped when they hold
/// no letter or digit (an italic space is not italics anyone sees).
fn stretches(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        if let Some(last) = merged.last_mut()
            && range.start >= last.end
            && text[last.end..range.start].trim().is_empty()
        {
            last.end = last.end.max(range.end);
            continue;
        }
        merged.push(range);
    }
    merged
        .into_iter()
        .filter_map(|r| {
            let slice = &text[r.clone()];
            let start = r.start + (slice.len() - slice.trim_start().len());
            let end = r.start + slice.trim_end().len();
            (start < end && text[start..end].chars().any(char::is_alphanumeric))
                .then_some(start..end)
        })
        .collect()
}

/// Byte ranges covered by styled spans that pass `keep`.
fn styled(cx: &Context, keep: impl Fn(&TextStyle) -> bool) -> Vec<Range<usize>> {
    cx.doc
        .rich
        .as_ref()
        .map(|rich| {
            rich.styles
                .iter()
                .filter(|s| keep(&s.style))
                .map(|s| s.range.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn emphasis(
    cx: &Context,
    rule: &Rule,
    min: usize,
    exceptions: &[String],
    messages: &EmphasisMessages,
    findings: &mut Vec<Finding>,
) {
    let text = cx.doc.text();
    // Links and addresses are underlined by every editor; that is not emphasis. Only a document
    // with formatting has underlining to look at.
    let addresses: Vec<Range<usize>> = match &cx.doc.rich {
        Some(_) => cx
            .doc
            .tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Url | TokenKind::Email))
            .map(|t| t.range())
            .collect(),
        None => Vec::new(),
    };
    for (template, underline, ranges) in [
        (&messages.italic, false, styled(cx, |s| s.italic)),
        (
            &messages.underline,
            true,
            styled(cx, |s| s.underline && s.hyperlink.is_none()),
        ),
        (
            &messages.background,
            false,
            styled(cx, |s| s.background.is_some()),
        ),
    ] {
        for stretch in stretches(text, ranges) {
            let only_addresses = underline
                && cx
                    .doc
                    .tokens
                    .iter()
                    .filter(|t| t.start() >= stretch.start && t.end() <= stretch.end)
                    .all(|t| addresses.iter().any(|a| overlaps(a, &t.range())));
            if !only_addresses {
                report(cx, rule, template, stretch, None, findings);
            }
        }
    }
    // Whole words in capitals: typed so, or shown so by formatting.
    let shown_in_caps = styled(cx, |s| s.all_caps);
    let capital_words = cx
        .doc
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_word());
    let capital_words = capital_words.filter(|&(index, t)| {
        let shown =
            !shown_in_caps.is_empty() && shown_in_caps.iter().any(|r| overlaps(r, &t.range()));
        // Cheapest test first: almost every word has a lower-case letter and is shown as typed;
        // most begin with one, which its bytes tell without cutting out the word or decoding it.
        if !shown && starts_with_lower_letter(&text.as_bytes()[t.start()..]) {
            return false;
        }
        let word = &text[t.range()];
        let typed = word
            .chars()
            .filter(|&c| morphology::is_letter(c))
            .all(morphology::is_upper);
        if !(typed || shown) {
            return false;
        }
        let letters = word.chars().filter(|&c| morphology::is_letter(c)).count();
        letters >= min
            && !exceptions.contains(&morphology::normalize(word))
            && cx.words.word(index).is_some_and(is_dictionary_word)
    });
    // A letterhead or a title in capitals at the very top («МИНИСТЕРСТВО …», «СЛУЖЕБНАЯ ЗАПИСКА»)
    // is the form of the document, not emphasis: lines before the first line with a lower-case letter.
    let header_end = text
        .match_indices('\n')
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .scan(0, |start, end| {
            let line = (*start, end);
            *start = end + 1;
            Some(line)
        })
        .find(|&(start, end)| text[start..end].chars().any(morphology::is_lower))
        .map_or(text.len(), |(start, _)| start);
    let capital_words = capital_words
        .filter(|(_, t)| t.start() >= header_end)
        .map(|(_, t)| t.range());
    for stretch in capital_lines(text, capital_words) {
        report(cx, rule, &messages.capitals, stretch, None, findings);
    }
}

/// Capital words joined into one stretch when only short capital words («ПО», «О»), digits,
/// punctuation and spaces of the same line lie between them: a heading is one finding.
fn capital_lines(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        if let Some(last) = merged.last_mut()
            && range.start >= last.end
            && {
                let gap = &text[last.end..range.start];
                !gap.contains(['\n', '\r']) && !gap.chars().any(morphology::is_lower)
            }
        {
            last.end = range.end;
            continue;
        }
        merged.push(range);
    }
    merged
}

/// The text (a word's bytes) begins with a lower-case Russian or English letter (а–я, ё, a–z),
/// read from its first bytes: а–п are D0 B0–BF, р–я are D1 80–8F, ё is D1 91.
fn starts_with_lower_letter(word: &[u8]) -> bool {
    matches!(
        word,
        [b'a'..=b'z', ..] | [0xD0, 0xB0..=0xBF, ..] | [0xD1, 0x80..=0x8F | 0x91, ..]
    )
}

/// A common word, not an abbreviation: the dictionary knows the form as a word and reads none of
/// it as an abbreviation.
fn is_dictionary_word(info: &WordInfo) -> bool {
    let analyses = info.analyses();
    let known = analyses.iter().any(|a| a.in_dictionary);
    let abbreviation = analyses.iter().any(|a| morphology::tag_facts(a.tag).abbr);
    known && !abbreviation
}

/// Pictograms: dingbats, miscellaneous symbols, geometric shapes, enclosed numbers, emoji and the
/// private-use characters of symbol fonts. Arrows, «№», «§», «°», currency and bullets are not here.
fn is_decorative(ch: char) -> bool {
    matches!(ch,
        '\u{2460}'..='\u{24FF}'
        | '\u{25A0}'..='\u{25FF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{FE0F}'
        | '\u{1F000}'..='\u{1FAFF}')
}

/// The byte ranges of the decorative characters of `text`. Every one of them is U+2460 or above,
/// so it starts with a byte of 0xE2 or more; Cyrillic and Latin letters never do (and continuation
/// bytes are below 0xC0). Only the characters at such bytes are decoded, not the whole text.
fn decorative_ranges(text: &str) -> Vec<Range<usize>> {
    const FIRST_LEAD_BYTE: u8 = 0xE2;
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut at = 0;
    while let Some(start) = next_byte_at_least(bytes, at, FIRST_LEAD_BYTE) {
        let ch = text[start..]
            .chars()
            .next()
            .expect("a lead byte starts a character");
        let end = start + ch.len_utf8();
        if is_decorative(ch) {
            ranges.push(start..end);
        }
        at = end;
    }
    ranges
}

/// The position of the first byte at or after `from` that is `min` or above. Such bytes are rare
/// (a few hundred in a megabyte of Russian text), so blocks of bytes are passed over by their
/// maximum, which the compiler computes with vector instructions, and only the block holding
/// one is searched byte by byte.
fn next_byte_at_least(bytes: &[u8], from: usize, min: u8) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut at = from;
    while let Some(block) = bytes.get(at..at + BLOCK) {
        if block.iter().fold(0, |max, &b| max.max(b)) >= min {
            break;
        }
        at += BLOCK;
    }
    bytes[at..]
        .iter()
        .position(|&b| b >= min)
        .map(|offset| at + offset)
}

fn symbols(
    cx: &Context,
    rule: &Rule,
    serif_fonts: &[String],
    symbol_fonts: &[String],
    messages: &SymbolMessages,
    findings: &mut Vec<Finding>,
) {
    let text = cx.doc.text();
    let mut ranges = decorative_ranges(text);
    ranges.extend(styled(cx, |s| {
        s.symbol
            || s.font
                .as_deref()
                .is_some_and(|f| symbol_fonts.contains(&f.to_lowercase()))
    }));
    ranges.sort_by_key(|r| (r.start, r.end));
    // Symbols next to each other («★★★») are one stretch; letters between them split it.
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        if let Some(last) = merged.last_mut()
            && range.start <= last.end
        {
            last.end = last.end.max(range.end);
            continue;
        }
        merged.push(range);
    }
    for range in merged {
        let slice = &text[range.clone()];
        let start = range.start + (slice.len() - slice.trim_start().len());
        let end = range.start + slice.trim_end().len();
        if start < end {
            report(cx, rule, &messages.symbol, start..end, None, findings);
        }
    }
    serif_texts(cx, rule, serif_fonts, &messages.serif, findings);
}

/// One finding per serif font in the document, at the first paragraph written in it.
fn serif_texts(
    cx: &Context,
    rule: &Rule,
    serif: &[String],
    template: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(rich) = cx.doc.rich.as_ref() else {
        return;
    };
    let text = cx.doc.text();
    let is_serif = |font: &str| {
        let font = font.to_lowercase();
        serif.contains(&font) || (font.contains("serif") && !font.contains("sans"))
    };
    let mut reported: Vec<String> = Vec::new();
    for span in &rich.styles {
        let Some(font) = span.style.font.as_deref() else {
            continue;
        };
        if !is_serif(font) || reported.iter().any(|f| f == font) {
            continue;
        }
        if !text[span.range.clone()].chars().any(char::is_alphanumeric) {
            continue;
        }
        // The stretch in this font within the paragraph it starts in.
        let block_end = rich
            .block_at(span.range.start)
            .map_or(span.range.end, |b| b.range.end);
        let same_font = rich
            .styles
            .iter()
            .filter(|s| s.style.font.as_deref() == Some(font))
            .filter(|s| s.range.start >= span.range.start && s.range.end <= block_end)
            .map(|s| s.range.clone());
        if let Some(first) = stretches(text, same_font).into_iter().next() {
            reported.push(font.to_string());
            report(cx, rule, template, first, Some(font), findings);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::{decorative_ranges, is_decorative, next_byte_at_least, starts_with_lower_letter};
    use crate::morphology;

    use crate::Linter;
    use crate::engine::LemmaCache;
    use crate::text::Document;
    use crate::text::rich::{BlockLocation, Part, RichText, StyledSpan, TextStyle};

    fn codes(doc: &Document) -> Vec<(String, String)> {
        let linter = Linter::with_default_rules().unwrap();
        linter
            .check(doc, &mut LemmaCache::new())
            .into_iter()
            .filter(|f| f.code.starts_with("FM"))
            .map(|f| (f.code.to_string(), doc.slice(f.range).to_string()))
            .collect()
    }

    fn rich(text: &str, spans: Vec<(&str, TextStyle)>) -> Document {
        let mut styles = Vec::new();
        for (fragment, style) in spans {
            let at = text.find(fragment).unwrap();
            styles.push(StyledSpan {
                range: at..at + fragment.len(),
                style,
            });
        }
        styles.sort_by_key(|s| s.range.start);
        let mut blocks = Vec::new();
        let mut start = 0;
        for (i, line) in text.split('\n').enumerate() {
            blocks.push(BlockLocation {
                range: start..start + line.len(),
                part: Part::Body,
                paragraph: i + 1,
                cell: None,
                note: None,
            });
            start += line.len() + 1;
        }
        Document::with_rich(text.to_string(), RichText { blocks, styles })
    }

    #[test]
    fn capitals_are_found_but_abbreviations_are_not() {
        let doc = Document::new(
            "ОБРАЩАЕМ ВНИМАНИЕ: плата за ЖКУ и услуги МФЦ, КУМИ и\nСНИЛС. Сделайте это СРОЧНО.",
        );
        assert_eq!(
            codes(&doc),
            vec![
                ("FM001".into(), "ОБРАЩАЕМ ВНИМАНИЕ".into()),
                ("FM001".into(), "СРОЧНО".into())
            ]
        );
        assert!(codes(&Document::new("Ёлки у дома ООО «Уют» спилят.")).is_empty());
    }

    #[test]
    fn runs_of_one_style_make_one_finding() {
        let italic = TextStyle {
            italic: true,
            ..TextStyle::default()
        };
        let text = "Мы проверили отопление в доме.";
        let mut doc_spans = vec![("проверили", italic.clone()), ("отопление", italic.clone())];
        let doc = rich(text, std::mem::take(&mut doc_spans));
        assert_eq!(
            codes(&doc),
            vec![("FM001".into(), "проверили отопление".into())]
        );
    }

    #[test]
    fn hyperlinks_may_be_underlined_and_fonts_are_reported_once() {
        let link = TextStyle {
            underline: true,
            hyperlink: Some(Arc::from("https://ex.ru")),
            ..TextStyle::default()
        };
        let times = TextStyle {
            font: Some(Arc::from("Times New Roman")),
            ..TextStyle::default()
        };
        let doc = rich(
            "Оцените ответ: пройти опрос.\nСрок — до 1 декабря.",
            vec![
                ("пройти опрос", link),
                ("Оцените ответ:", times.clone()),
                ("Срок — до 1 декабря.", times),
            ],
        );
        assert_eq!(codes(&doc), vec![("FM002".into(), "Оцените ответ:".into())]);
    }

    #[test]
    fn symbols_are_found_ordinary_signs_are_not() {
        let doc = Document::new("★★ Приём ☎ 12-34-56. № 5, § 3, 20 °C, 15 %, 100 ₽ — • «да».");
        assert_eq!(
            codes(&doc),
            vec![("FM002".into(), "★★".into()), ("FM002".into(), "☎".into())]
        );
    }

    proptest! {
        #[test]
        fn the_next_high_byte_is_the_first_one(
            bytes in proptest::collection::vec(prop_oneof![0u8..0xE2, 0xC0u8..=0xFF], 0..200),
            from in 0usize..200,
            min in 0xC0u8..=0xFF,
        ) {
            let from = from.min(bytes.len());
            let expected = (from..bytes.len()).find(|&i| bytes[i] >= min);
            prop_assert_eq!(next_byte_at_least(&bytes, from, min), expected);
        }

        #[test]
        fn a_lower_case_first_letter_is_read_from_the_bytes(word in "[а-яА-ЯёЁa-zA-Z0-9ѐ-ӿ\\-«é]{0,4}") {
            let expected = word.chars().next().is_some_and(|c| {
                morphology::is_letter(c)
                    && !morphology::is_upper(c)
                    && matches!(c, 'а'..='я' | 'ё' | 'a'..='z')
            });
            prop_assert_eq!(starts_with_lower_letter(word.as_bytes()), expected);
        }
    }

    #[test]
    fn a_lower_case_first_letter_is_never_upper_case() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            if starts_with_lower_letter(c.encode_utf8(&mut [0; 4]).as_bytes()) {
                assert!(
                    morphology::is_letter(c) && !morphology::is_upper(c),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn decorative_ranges_are_those_of_every_character() {
        let text = "★★ Приём ☎ 12-34-56 — «да» • № 5 ✓ é ß \u{E001}\u{FE0F} 😀x\u{2460}\u{245F}\u{24FF}\u{2500}\u{25A0}\u{1F000}\u{1FAFF}\u{1FB00} ‑ ₽ …";
        let mut texts = vec![String::new(), text.to_string()];
        // Every character of the text at the start, in the middle and at the end of another text.
        for (i, ch) in text.char_indices() {
            texts.push(format!("{ch}аб{}", &text[..i]));
        }
        for text in texts {
            let every: Vec<_> = text
                .char_indices()
                .filter(|&(_, ch)| is_decorative(ch))
                .map(|(i, ch)| i..i + ch.len_utf8())
                .collect();
            assert_eq!(decorative_ranges(&text), every, "{text:?}");
        }
    }
}
