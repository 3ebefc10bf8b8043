;;; yasno-eglot.el --- yasno language server for Eglot  -*- lexical-binding: t; -*-

;; Starts `yasno lsp' for plain-text and Markdown letters with Eglot (built into Emacs 29;
;; for Emacs 28 install the `elpa-eglot' Debian package or Eglot from GNU ELPA).
;;
;; Usage, in your init file:
;;   (load "/path/to/yasno/editors/emacs/yasno-eglot.el")
;; then open a .txt or .md letter (M-x eglot if it does not start by itself).

;;; Code:

(require 'eglot)

(defgroup yasno nil
  "Linter for replies of Russian government offices."
  :group 'tools)

(defcustom yasno-program "yasno"
  "The yasno program (a name in `exec-path' or a full path)."
  :type 'string)

(defcustom yasno-settings '(:profile "external")
  "Settings sent to the server, merged over the project's yasno.toml.
Keys: :profile, :select, :ignore, :severity, :acceptedWords, :configPath,
:noConfig, :debounceMs."
  :type 'plist)

(defun yasno-eglot--contact (_interactive)
  "The command and initialization options for `yasno lsp'."
  (list yasno-program "lsp" :initializationOptions yasno-settings))

;; The language id comes from the mode name ("text", "markdown"); the server also goes by the
;; file's extension, so gfm-mode buffers of .md files are read as Markdown too.
(add-to-list 'eglot-server-programs
             '((text-mode markdown-mode gfm-mode) . yasno-eglot--contact))

(defun yasno-eglot-maybe-start ()
  "Start Eglot in letters: text and Markdown buffers, not every mode derived from text-mode."
  (when (memq major-mode '(text-mode markdown-mode gfm-mode))
    (eglot-ensure)))

(add-hook 'text-mode-hook #'yasno-eglot-maybe-start)

(provide 'yasno-eglot)
;;; yasno-eglot.el ends here
