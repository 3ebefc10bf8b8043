-- Neovim 0.11+: put this folder on 'runtimepath' (or copy this file to ~/.config/nvim/lsp/yasno.lua)
-- and call vim.lsp.enable('yasno').
return {
  cmd = { 'yasno', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'yasno.toml', '.yasno.toml', '.git' },
  -- Settings merged over the project's yasno.toml (all optional):
  init_options = {
    -- profile = 'external',
    -- ignore = { 'SL' },
    -- severity = { jargon = 'info' },
  },
}
