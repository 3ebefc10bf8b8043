-- yasno for Neovim's built-in LSP client, for Neovim 0.7 and newer.
--
--   require('yasno').setup({ cmd = { 'yasno', 'lsp' }, settings = { profile = 'external' } })
--
-- Starts `yasno lsp` for text and Markdown buffers. On Neovim 0.11+ you can use lsp/yasno.lua
-- with vim.lsp.enable('yasno') instead.

local M = {}

local defaults = {
  cmd = { 'yasno', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'yasno.toml', '.yasno.toml', '.git' },
  -- Passed as initializationOptions: profile, select, ignore, severity, acceptedWords,
  -- configPath, noConfig, debounceMs (see editors/neovim/README.md).
  settings = {},
}

local function root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local found = vim.fs and vim.fs.find and vim.fs.find(markers, { path = dir, upward = true })[1]
  if found then
    return vim.fn.fnamemodify(found, ':h')
  end
  return dir
end

function M.setup(opts)
  local config = vim.tbl_deep_extend('force', defaults, opts or {})
  local clients = {}
  local group = vim.api.nvim_create_augroup('yasno_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      local bufnr = args.buf
      local root = root_dir(bufnr, config.root_markers)
      local client_config = {
        name = 'yasno',
        cmd = config.cmd,
        root_dir = root,
        init_options = config.settings,
        settings = { yasno = config.settings },
      }
      if vim.lsp.start then
        -- Neovim 0.8+: reuses a running client with the same name and root.
        vim.lsp.start(client_config, { bufnr = bufnr })
        return
      end
      -- Neovim 0.7: one client per root, attached by hand.
      local id = clients[root]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = vim.lsp.start_client(client_config)
        clients[root] = id
      end
      if id then
        vim.lsp.buf_attach_client(bufnr, id)
      end
    end,
  })
end

return M
