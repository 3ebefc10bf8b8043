#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yasno_fuzz::lsp_messages(data));
