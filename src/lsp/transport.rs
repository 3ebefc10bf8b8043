//! Base protocol over stdio: `Content-Length` framing. Unlike `lsp_server::Connection::stdio`,
//! a malformed message does not end the reader: it is reported to the main loop (which answers
//! with a parse error when it can) and the next message is read.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::Message;
use serde_json::Value;

/// Messages larger than this are skipped (a letter of many megabytes is not typed in an editor).
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

pub enum Incoming {
    Message(Message),
    /// Not a JSON-RPC message. `id` is the request id when the JSON was readable and had one.
    Malformed {
        id: Option<Value>,
        parse_error: bool,
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
    loop {
        let body = match read_frame(input) {
            Ok(Some(Frame::Body(body))) => body,
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
    /// Headers without a usable length, or a body over the limit: skipped.
    Skipped,
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad_header = false;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
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
        return Ok(Some(Frame::Skipped));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    if bad_header && serde_json::from_slice::<Value>(&body).is_err() {
        return Ok(Some(Frame::Skipped));
    }
    Ok(Some(Frame::Body(body)))
}

/// One framed message, ready for the writer.
pub fn frame(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    message
        .write(&mut out)
        .expect("writing to memory cannot fail");
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

    #[test]
    fn a_truncated_body_ends_the_input() {
        let got = read_all("Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        assert!(got.is_empty());
    }
}
