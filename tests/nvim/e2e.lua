-- End-to-end test of `yasno lsp` in a real editor: headless Neovim (0.7 from Debian or newer)
-- attaches the server to the letter given on the command line, waits for the diagnostics,
-- shows a hover, applies the quick fix for «Данный» and saves the file.
-- Run by tests/lsp.rs (neovim_end_to_end) with YASNO_BIN and YASNO_E2E_RESULT set:
--   nvim --headless --clean -c "luafile tests/nvim/e2e.lua" letter.txt

local bin = assert(os.getenv('YASNO_BIN'), 'YASNO_BIN is not set')
local result_file = assert(os.getenv('YASNO_E2E_RESULT'), 'YASNO_E2E_RESULT is not set')

local function report(ok, message)
  local f = io.open(result_file, 'w')
  f:write((ok and 'ok: ' or 'fail: ') .. message .. '\n')
  f:close()
end

local function find(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return d
    end
  end
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'yasno',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.getcwd(),
  })
  assert(client_id, 'the language client did not start')
  assert(vim.lsp.buf_attach_client(buf, client_id), 'could not attach the client')
  local client = vim.lsp.get_client_by_id(client_id)

  assert(vim.wait(30000, function() return find(buf, 'JA005') ~= nil end, 20),
    'no JA005 diagnostic arrived')
  local count = #vim.diagnostic.get(buf)

  -- Hover on the finding explains it.
  local d = find(buf, 'JA005')
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local hovers = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    vim.lsp.util.make_position_params(), 10000)
  local hover = hovers and hovers[client_id] and hovers[client_id].result
  assert(hover and hover.contents.value:find('JA005', 1, true), 'the hover does not explain JA005')

  -- The quick fix replaces «Данный» with «Этот».
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  local actions = answers and answers[client_id] and answers[client_id].result or {}
  local fix
  for _, action in ipairs(actions) do
    if action.title:find('Этот', 1, true) then
      fix = action
    end
  end
  assert(fix, 'no quick fix among ' .. #actions .. ' code actions')
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  assert(line:find('Этот срок', 1, true), 'the fix was not applied: ' .. line)
  vim.cmd('silent write')

  assert(vim.wait(30000, function() return find(buf, 'JA005') == nil end, 20),
    'JA005 is still reported after the fix')

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  return string.format('%d diagnostics, hover shown, quick fix applied and saved', count)
end

local ok, result = pcall(run)
report(ok, tostring(result))
if ok then
  vim.cmd('qall!')
else
  vim.cmd('cquit')
end
