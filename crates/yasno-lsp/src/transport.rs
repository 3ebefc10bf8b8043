//! Base protocol over stdio: `Content-Length` framing. Unlike `lsp_server::Connection::stdio`,
//! a malformed message does not end the reader: it is reported to the main loop (which answers
//! with a parse error when it can) and the next message is read. A frame without a length or with
//! a wrong one does not throw the reader out of step for good: it starts again at the next
//! `Content-Length:` header, wherever that is found.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::Message;
use serde_json::Value;

/// Messages larger than this are skipped, and the client is told. It leaves room around a document
/// of the text limit, so that such a document is refused by the server with its own message.
const MAX_MESSAGE_BYTES: usize = yasno_core::input::MAX_INPUT_BYTES as usize + 1024 * 1024;

pub enum Incoming {
    Message(Message),
    /// Not a JSON-RPC message. `id` is the request id when the JSON was readable and had one.
    Malformed {
        id: Option<Value>,
        parse_error: bool,
    },
    /// A message over `MAX_MESSAGE_BYTES`, skipped unread.
    Oversized {
        bytes: usize,
    },
}

/// Starts the reader and writer threads over `input` and `output` (stdin and stdout for
/// `yasno lsp`). The reader's channel closes at the end of input; frames sent to the writer are
/// written in order; the writer ends when every sender is dropped.
pub fn spawn(
    input: impl Read + Send + 'static,
    mut output: impl Write + Send + 'static,
) -> (Receiver<Incoming>, Sender<Vec<u8>>, thread::JoinHandle<()>) {
    let (in_tx, in_rx) = unbounded();
    let (out_tx, out_rx) = unbounded::<Vec<u8>>();
    thread::Builder::new()
        .name("yasno-lsp-reader".into())
        .spawn(move || read_messages(&mut io::BufReader::new(input), &in_tx))
        .expect("spawn the reader thread");
    let writer = thread::Builder::new()
        .name("yasno-lsp-writer".into())
        .spawn(move || {
            for frame in out_rx {
                if output
                    .write_all(&frame)
                    .and_then(|()| output.flush())
                    .is_err()
                {
                    // The client is gone; keep draining so that senders never block.
                    continue;
                }
            }
        })
        .expect("spawn the writer thread");
    (in_rx, out_tx, writer)
}

/// Reads framed messages until the input ends or the main loop stops listening.
pub fn read_messages(input: &mut impl BufRead, tx: &Sender<Incoming>) {
    let mut input = Rewindable::new(input);
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(Frame::Body(body))) => body,
            Ok(Some(Frame::Oversized(bytes))) => {
                if tx.send(Incoming::Oversized { bytes }).is_err() {
                    return;
                }
                continue;
            }
            Ok(Some(Frame::Skipped)) => {
                if tx
                    .send(Incoming::Malformed {
                        id: None,
                        parse_error: false,
                    })
                    .is_err()
                {
                    return;
                }
                continue;
            }
            Ok(None) | Err(_) => return,
        };
        let incoming = parse(&body);
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if tx.send(incoming).is_err() || is_exit {
            return;
        }
    }
}

pub fn parse(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        // A request whose id is neither an integer nor a string reads as a notification.
        Ok(Message::Notification(n)) => match serde_json::from_slice::<IdProbe>(body) {
            Ok(IdProbe { id: Some(id) }) => Incoming::Malformed {
                id: Some(id),
                parse_error: false,
            },
            _ => Incoming::Message(Message::Notification(n)),
        },
        Ok(message) => Incoming::Message(message),
        Err(_) => match serde_json::from_slice::<Value>(body) {
            Err(_) => Incoming::Malformed {
                id: None,
                parse_error: true,
            },
            Ok(value) => Incoming::Malformed {
                id: value.get("id").cloned().filter(|id| !id.is_null()),
                parse_error: false,
            },
        },
    }
}

#[derive(serde::Deserialize)]
struct IdProbe {
    #[serde(default)]
    id: Option<Value>,
}

enum Frame {
    Body(Vec<u8>),
    /// Headers without a usable length: skipped.
    Skipped,
    /// A body over the limit, of this length: skipped.
    Oversized(usize),
}

/// The header that starts every frame.
const LENGTH_HEADER: &[u8] = b"Content-Length:";

fn read_frame<R: BufRead>(input: &mut Rewindable<R>) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad_header = false;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input
            .take(MAX_MESSAGE_BYTES as u64)
            .read_until(b'\n', &mut line)?
            == 0
        {
            return Ok(None);
        }
        // The rest of a frame that was cut short runs into the next header: the header is where
        // the next frame starts, and what came before it is not to be trusted.
        let header_at = memchr::memmem::find(&line, LENGTH_HEADER)
            .or_else(|| memchr::memmem::find(&line, b"content-length:"));
        let line = match header_at {
            Some(at) if at > 0 => {
                (length, bad_header, seen_header) = (None, true, false);
                &line[at..]
            }
            _ => &line[..],
        };
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if seen_header {
                break;
            }
            // Stray blank lines between messages.
            continue;
        }
        seen_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = true,
                }
            }
            Some(_) => {}
            None => bad_header = true,
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::Skipped));
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::Oversized(length)));
    }
    let Some(body) = read_body(input, length)? else {
        return Ok(Some(Frame::Skipped));
    };
    if bad_header && serde_json::from_slice::<Value>(&body).is_err() {
        return Ok(Some(Frame::Skipped));
    }
    Ok(Some(Frame::Body(body)))
}

/// Reads a body of `length` bytes; None when a header line turns up inside it (the stated length
/// was too long): the bytes from that header on are given back, to be read as the next frame.
/// A JSON body cannot hold such a line: inside its strings a line break is written `\n`, and
/// outside them no bare word may stand.
fn read_body<R: BufRead>(input: &mut Rewindable<R>, length: usize) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::with_capacity(length.min(1 << 20));
    while body.len() < length {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let taken = chunk.len().min(length - body.len());
        // A header split between two reads is found on the second.
        let scan_from = body.len().saturating_sub(LENGTH_HEADER.len() + 24);
        body.extend_from_slice(&chunk[..taken]);
        input.consume(taken);
        if let Some(at) = header_line(&body[scan_from..]) {
            let at = scan_from + at;
            input.give_back(&body[at..]);
            return Ok(None);
        }
    }
    Ok(Some(body))
}

/// Where `Content-Length:`, digits and a line break stand in `bytes`.
fn header_line(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], LENGTH_HEADER) {
        let at = from + found;
        let rest = &bytes[at + LENGTH_HEADER.len()..];
        let spaces = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let digits = rest[spaces..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = &rest[spaces + digits..];
        if digits > 0 && (after.starts_with(b"\r\n") || after.starts_with(b"\n")) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A buffered reader that can be given bytes back, which it reads again before its input.
struct Rewindable<R> {
    input: R,
    given_back: Vec<u8>,
    position: usize,
}

impl<R: BufRead> Rewindable<R> {
    fn new(input: R) -> Self {
        Rewindable {
            input,
            given_back: Vec::new(),
            position: 0,
        }
    }

    fn give_back(&mut self, bytes: &[u8]) {
        let mut pending = bytes.to_vec();
        pending.extend_from_slice(&self.given_back[self.position..]);
        self.given_back = pending;
        self.position = 0;
    }
}

impl<R: BufRead> Read for Rewindable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Rewindable<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.position < self.given_back.len() {
            Ok(&self.given_back[self.position..])
        } else {
            self.input.fill_buf()
        }
    }

    fn consume(&mut self, amount: usize) {
        if self.position < self.given_back.len() {
            self.position += amount;
            if self.position >= self.given_back.len() {
                self.given_back.clear();
                self.position = 0;
            }
        } else {
            self.input.consume(amount);
        }
    }
}

/// One framed message, ready for the writer.
pub fn frame(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    message
        .write(&mut out)
        .expect("writing to memory cannot fail");
    out
}

/// A notification framed straight from its parameters, without the JSON value tree that
/// `lsp_server::Notification` builds first: for the diagnostics of a large document that tree
/// took several times the size of the document.
pub fn notification_frame(method: &str, params: &impl serde::Serialize) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    // Room for the header before the body, filled in once the body's length is known: the body
    // is not copied into a second buffer.
    const ROOM: usize = "Content-Length: \r\n\r\n".len() + 20;
    let mut out = vec![0; ROOM];
    serde_json::to_writer(
        &mut out,
        &Notification {
            jsonrpc: "2.0",
            method,
            params,
        },
    )
    .expect("LSP parameters serialise");
    let header = format!("Content-Length: {}\r\n\r\n", out.len() - ROOM);
    let start = ROOM - header.len();
    out[start..ROOM].copy_from_slice(header.as_bytes());
    out.drain(..start);
    out
}

/// A response with a null id: the answer to a message whose id could not be read.
pub fn null_id_error(code: i32, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    })
    .to_string();
    raw_frame(&body)
}

/// An error response to an id that is valid JSON but not an id `lsp_server` can represent.
pub fn raw_error(id: &Value, code: i32, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    raw_frame(&body)
}

fn raw_frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str) -> Vec<Incoming> {
        let (tx, rx) = unbounded();
        read_messages(&mut io::Cursor::new(input.as_bytes().to_vec()), &tx);
        drop(tx);
        rx.into_iter().collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_do_not_stop_the_reader() {
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            "Garbage-Header\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        ]
        .concat();
        let got = read_all(&input);
        assert_eq!(got.len(), 4);
        assert!(matches!(
            got[0],
            Incoming::Malformed {
                id: None,
                parse_error: true
            }
        ));
        assert!(matches!(
            &got[1],
            Incoming::Malformed {
                id: Some(_),
                parse_error: false
            }
        ));
        assert!(matches!(
            got[2],
            Incoming::Malformed {
                id: None,
                parse_error: false
            }
        ));
        assert!(
            matches!(&got[3], Incoming::Message(Message::Request(r)) if r.method == "shutdown")
        );
    }

    fn is_shutdown(incoming: &Incoming) -> bool {
        matches!(incoming, Incoming::Message(Message::Request(r)) if r.method == "shutdown")
    }

    /// Regression: after one frame without a length, or with a length too short or too long, the
    /// rest of that frame ran into the next header and every later message was lost with it.
    #[test]
    fn a_badly_framed_message_is_resynchronised_on_the_next_header() {
        let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let shutdown = framed(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#);
        let pretty = "{\n  \"jsonrpc\": \"2.0\",\n\n  \"method\": \"initialized\"\n}";
        let cases = [
            (
                "no length",
                format!("Content-Type: application/json\r\n\r\n{body}"),
            ),
            ("a short length", format!("Content-Length: 9\r\n\r\n{body}")),
            (
                "a long length",
                format!("Content-Length: 900\r\n\r\n{body}"),
            ),
            (
                "a long length, bare newlines",
                format!("Content-Length: 900\n\n{body}"),
            ),
            (
                "no length, a body of many lines",
                format!("Content-Type: x\r\n\r\n{pretty}"),
            ),
            (
                "a length of zero",
                format!("Content-Length: 0\r\n\r\n{body}"),
            ),
        ];
        for (case, bad) in cases {
            let got = read_all(&(bad + &shutdown + &shutdown));
            let heard = got.iter().filter(|m| is_shutdown(m)).count();
            assert_eq!(heard, 2, "{case}: both messages after the bad one are read");
        }
    }

    /// The text of a letter may say «Content-Length: 5» with line breaks; in JSON they are escaped,
    /// so a body that quotes a header is read whole.
    #[test]
    fn a_header_quoted_inside_a_json_string_is_not_a_frame() {
        let body = r#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":{"text":"Content-Length: 5\r\n\r\nabc"}}"#;
        let got = read_all(&framed(body));
        assert_eq!(got.len(), 1);
        assert!(is_shutdown(&got[0]));
    }

    #[test]
    fn a_notification_is_framed_with_the_length_of_its_body() {
        let frame = notification_frame("window/showMessage", &serde_json::json!({"message": "да"}));
        let text = String::from_utf8(frame).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let got = read_all(&text);
        assert!(
            matches!(&got[..], [Incoming::Message(Message::Notification(n))] if n.method == "window/showMessage")
        );
    }

    #[test]
    fn a_truncated_body_ends_the_input() {
        let got = read_all("Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        assert!(got.is_empty());
    }
}
