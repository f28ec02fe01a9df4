// How to point each tool people use at the port: data for the UI (to show and copy) and the README.
// Placeholders: {{baseUrl}} (e.g. http://127.0.0.1:4141), {{token}} (a client token), {{model}} (a route or provider/model).
import type { ToolSetupGuide } from '../../../shared/types';

export const SETUP_GUIDES: readonly ToolSetupGuide[] = [
  {
    id: 'continue',
    name: 'Continue (VS Code, JetBrains)',
    dialect: 'openai',
    steps: [
      'Open ~/.continue/config.yaml (Continue: Open config).',
      'Add a model with provider `openai` and `apiBase` set to the port.',
      'For tab autocomplete, add a second entry for a fill-in-the-middle model (a Codestral or Qwen-Coder route, say) with `roles: [autocomplete]`: the port serves /v1/completions with `suffix`.',
    ],
    snippets: [
      {
        label: '~/.continue/config.yaml',
        language: 'yaml',
        text: 'name: My Config\nversion: 0.0.1\nschema: v1\nmodels:\n  - name: Switchboard {{model}}\n    provider: openai\n    model: {{model}}\n    apiBase: {{baseUrl}}/v1\n    apiKey: {{token}}\n    roles: [chat, edit, apply]\n',
      },
    ],
    docsUrl: 'https://docs.continue.dev/customize/model-providers/top-level/openai',
  },
  {
    id: 'cline',
    name: 'Cline / Roo Code',
    dialect: 'openai',
    steps: ['Open the extension settings (gear icon).', 'API Provider: "OpenAI Compatible".', 'Base URL, API Key and Model ID as below.'],
    snippets: [
      { label: 'Base URL', language: 'text', text: '{{baseUrl}}/v1' },
      { label: 'API Key', language: 'text', text: '{{token}}' },
      { label: 'Model ID', language: 'text', text: '{{model}}' },
    ],
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    dialect: 'anthropic',
    steps: [
      'Set these in the shell that starts `claude` (or under "env" in ~/.claude/settings.json).',
      'ANTHROPIC_BASE_URL has no /v1: Claude Code adds /v1/messages itself.',
      'Claude Code also asks for models by its own names (claude-opus-…, claude-haiku-…) when no model is set, for subagents and from /model. An Anthropic provider serves those names as they are; to send them to a route instead, add an alias to the config: `"aliases": [{ "match": "claude-*", "to": "{{model}}" }]`.',
    ],
    snippets: [
      {
        label: 'shell',
        language: 'sh',
        text: 'export ANTHROPIC_BASE_URL={{baseUrl}}\nexport ANTHROPIC_AUTH_TOKEN={{token}}\nexport ANTHROPIC_MODEL={{model}}\nexport ANTHROPIC_DEFAULT_HAIKU_MODEL={{model}}\nclaude\n',
      },
      {
        label: '~/.claude/settings.json',
        language: 'json',
        text: '{\n  "env": {\n    "ANTHROPIC_BASE_URL": "{{baseUrl}}",\n    "ANTHROPIC_AUTH_TOKEN": "{{token}}",\n    "ANTHROPIC_MODEL": "{{model}}",\n    "ANTHROPIC_DEFAULT_HAIKU_MODEL": "{{model}}"\n  }\n}\n',
      },
    ],
    docsUrl: 'https://docs.anthropic.com/en/docs/claude-code/settings',
  },
  {
    id: 'codex',
    name: 'OpenAI Codex CLI',
    dialect: 'openai',
    steps: [
      'Add a provider to ~/.codex/config.toml (Codex speaks the Responses API, which the port serves at /v1/responses).',
      'Put the token in the environment variable named by env_key.',
      'Codex also offers its hosted `web_search` tool, which only OpenAI\'s own servers run: the port drops it and names it in the `x-switchboard-dropped-tools` header and the request log. To stop Codex offering it, add `web_search = "disabled"` at the top of config.toml. Its grouped (namespace) tools, such as its sub-agent and MCP tools, reach every provider as plain function tools.',
    ],
    snippets: [
      {
        label: '~/.codex/config.toml',
        language: 'toml',
        text: 'model = "{{model}}"\nmodel_provider = "switchboard"\n\n[model_providers.switchboard]\nname = "Switchboard"\nbase_url = "{{baseUrl}}/v1"\nenv_key = "SWITCHBOARD_TOKEN"\nwire_api = "responses"\n',
      },
      { label: 'shell', language: 'sh', text: 'export SWITCHBOARD_TOKEN={{token}}\ncodex\n' },
    ],
    docsUrl: 'https://developers.openai.com/codex/config-reference',
  },
  {
    id: 'gemini-cli',
    name: 'Gemini CLI',
    dialect: 'gemini',
    steps: [
      'Set these in the shell that starts `gemini` (or put the same lines, without `export`, in ~/.gemini/.env), and choose the API key as the CLI\'s sign-in method in ~/.gemini/settings.json (or with `/auth`: "Use Gemini API key").',
      'GOOGLE_GEMINI_BASE_URL has no /v1beta: the CLI adds /v1beta/models/... itself, and sends GEMINI_API_KEY as `x-goog-api-key`, which the port reads as the client token. With a base URL and no sign-in method chosen, `gemini -p` stops with "Invalid auth method selected"; signed-in (Google) sessions go to Google\'s own servers, not to the base URL.',
      'GEMINI_MODEL (or `gemini --model`) picks the route or provider/model. Avoid the names the CLI treats as its own aliases (auto, pro, flash, flash-lite). For side tasks (summaries, routing) the CLI also asks for Gemini models by their own names (gemini-…-flash-lite, say): a Gemini provider serves those as they are; to send them to a route instead, add an alias to the config: `"aliases": [{ "match": "gemini-*", "to": "{{model}}" }]`.',
    ],
    snippets: [
      {
        label: 'shell',
        language: 'sh',
        text: 'export GOOGLE_GEMINI_BASE_URL={{baseUrl}}\nexport GEMINI_API_KEY={{token}}\nexport GEMINI_MODEL={{model}}\ngemini\n',
      },
      {
        label: '~/.gemini/.env',
        language: 'sh',
        text: 'GOOGLE_GEMINI_BASE_URL={{baseUrl}}\nGEMINI_API_KEY={{token}}\nGEMINI_MODEL={{model}}\n',
      },
      {
        label: '~/.gemini/settings.json',
        language: 'json',
        text: '{\n  "security": {\n    "auth": {\n      "selectedType": "gemini-api-key"\n    }\n  }\n}\n',
      },
    ],
    docsUrl: 'https://github.com/google-gemini/gemini-cli/blob/main/docs/reference/configuration.md',
  },
  {
    id: 'opencode',
    name: 'opencode',
    dialect: 'openai',
    steps: [
      "Add the port as a provider in ~/.config/opencode/opencode.json (or opencode.json in a project): opencode's bundled `@ai-sdk/openai-compatible` speaks the port's /v1/chat/completions.",
      'List each route or provider/model you use under "models" and pick one with `opencode -m switchboard/<name>` or the "model" line; "small_model" serves its side tasks (session titles). The token comes from the environment variable named in apiKey.',
    ],
    snippets: [
      {
        label: '~/.config/opencode/opencode.json',
        language: 'json',
        text: '{\n  "$schema": "https://opencode.ai/config.json",\n  "provider": {\n    "switchboard": {\n      "npm": "@ai-sdk/openai-compatible",\n      "name": "Switchboard",\n      "options": {\n        "baseURL": "{{baseUrl}}/v1",\n        "apiKey": "{env:SWITCHBOARD_TOKEN}"\n      },\n      "models": {\n        "{{model}}": { "name": "{{model}}" }\n      }\n    }\n  },\n  "model": "switchboard/{{model}}",\n  "small_model": "switchboard/{{model}}"\n}\n',
      },
      { label: 'shell', language: 'sh', text: 'export SWITCHBOARD_TOKEN={{token}}\nopencode\n' },
    ],
    docsUrl: 'https://opencode.ai/docs/providers/#custom-provider',
  },
  {
    id: 'qwen-code',
    name: 'Qwen Code',
    dialect: 'openai',
    steps: [
      "Set these in the shell that starts `qwen` (Qwen Code speaks the OpenAI API, so the port's /v1 is its base URL), or describe the port once in ~/.qwen/settings.json as an `openai` model provider whose key comes from the variable named by envKey.",
      'OPENAI_MODEL (or `qwen --model`, or model.name) picks the route or provider/model.',
    ],
    snippets: [
      {
        label: 'shell',
        language: 'sh',
        text: 'export OPENAI_BASE_URL={{baseUrl}}/v1\nexport OPENAI_API_KEY={{token}}\nexport OPENAI_MODEL={{model}}\nqwen\n',
      },
      {
        label: '~/.qwen/settings.json',
        language: 'json',
        text: '{\n  "modelProviders": {\n    "openai": [\n      { "id": "{{model}}", "name": "Switchboard {{model}}", "baseUrl": "{{baseUrl}}/v1", "envKey": "SWITCHBOARD_TOKEN" }\n    ]\n  },\n  "security": { "auth": { "selectedType": "openai" } },\n  "model": { "name": "{{model}}" }\n}\n',
      },
    ],
    docsUrl: 'https://qwenlm.github.io/qwen-code-docs/en/users/configuration/auth/',
  },
  {
    id: 'aider',
    name: 'Aider',
    dialect: 'openai',
    steps: ["Point Aider's OpenAI-compatible mode at the port; prefix the model with `openai/`."],
    snippets: [
      {
        label: 'shell',
        language: 'sh',
        text: 'export OPENAI_API_BASE={{baseUrl}}/v1\nexport OPENAI_API_KEY={{token}}\naider --model openai/{{model}}\n',
      },
    ],
    docsUrl: 'https://aider.chat/docs/llms/openai-compat.html',
  },
  {
    id: 'copilot',
    name: 'GitHub Copilot (BYOK)',
    dialect: 'openai',
    steps: [
      'VS Code chat: model picker → Manage Models → "OpenAI Compatible" (where your Copilot plan offers it) with the URL and token below; or choose "Ollama" and set `github.copilot.chat.byok.ollamaEndpoint` to the port with the token in the path (`/t/<token>`), since Ollama clients send no API key (the port answers /api/tags, /api/show, /api/chat there).',
      'Copilot CLI: set the COPILOT_PROVIDER_* variables below before starting `copilot`.',
    ],
    snippets: [
      {
        label: 'VS Code settings.json (Ollama mode)',
        language: 'json',
        text: '{\n  "github.copilot.chat.byok.ollamaEndpoint": "{{baseUrl}}/t/{{token}}"\n}\n',
      },
      {
        label: 'Copilot CLI',
        language: 'sh',
        text: 'export COPILOT_PROVIDER_TYPE=openai\nexport COPILOT_PROVIDER_BASE_URL={{baseUrl}}/v1\nexport COPILOT_PROVIDER_API_KEY={{token}}\nexport COPILOT_MODEL={{model}}\ncopilot\n',
      },
    ],
    docsUrl: 'https://docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/use-byok-models',
  },
  {
    id: 'ollama',
    name: 'Ollama clients (the ollama library, Ollama-only tools)',
    dialect: 'ollama',
    steps: [
      "Point the client's Ollama host at the port with the token in the path (`/t/<token>`): Ollama clients send no API key. A client that takes headers may instead send `Authorization: Bearer <token>` to the plain port.",
      'The model is a route or provider/model. The port serves /api/chat, /api/generate, /api/embed, /api/embeddings, /api/tags, /api/ps, /api/show and /api/version; pulling, pushing and creating models are not served.',
    ],
    snippets: [
      {
        label: 'JavaScript',
        language: 'ts',
        text: "import { Ollama } from 'ollama';\nconst ollama = new Ollama({ host: '{{baseUrl}}/t/{{token}}' });\nconst r = await ollama.chat({ model: '{{model}}', messages: [{ role: 'user', content: 'Hello' }] });\n",
      },
    ],
    docsUrl: 'https://github.com/ollama/ollama-js',
  },
  {
    id: 'openai-sdk',
    name: 'OpenAI SDK (JavaScript, Python)',
    dialect: 'openai',
    steps: ['Set baseURL to the port with /v1 and the client token as the API key.'],
    snippets: [
      {
        label: 'JavaScript',
        language: 'ts',
        text: "import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '{{baseUrl}}/v1', apiKey: '{{token}}' });\nconst r = await client.chat.completions.create({ model: '{{model}}', messages: [{ role: 'user', content: 'Hello' }] });\n",
      },
      {
        label: 'Python',
        language: 'python',
        text: 'from openai import OpenAI\nclient = OpenAI(base_url="{{baseUrl}}/v1", api_key="{{token}}")\nr = client.chat.completions.create(model="{{model}}", messages=[{"role": "user", "content": "Hello"}])\n',
      },
      { label: 'environment', language: 'sh', text: 'export OPENAI_BASE_URL={{baseUrl}}/v1\nexport OPENAI_API_KEY={{token}}\n' },
    ],
  },
  {
    id: 'anthropic-sdk',
    name: 'Anthropic SDK (JavaScript, Python)',
    dialect: 'anthropic',
    steps: ['Set baseURL to the port without /v1 (the SDK adds it) and the client token as the API key (sent as x-api-key).'],
    snippets: [
      {
        label: 'JavaScript',
        language: 'ts',
        text: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ baseURL: '{{baseUrl}}', apiKey: '{{token}}' });\nconst m = await client.messages.create({ model: '{{model}}', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] });\n",
      },
      {
        label: 'Python',
        language: 'python',
        text: 'import anthropic\nclient = anthropic.Anthropic(base_url="{{baseUrl}}", api_key="{{token}}")\n',
      },
      { label: 'environment', language: 'sh', text: 'export ANTHROPIC_BASE_URL={{baseUrl}}\nexport ANTHROPIC_API_KEY={{token}}\n' },
    ],
  },
  {
    id: 'langchain',
    name: 'LangChain',
    dialect: 'openai',
    steps: ['Use ChatOpenAI with the port as its base URL.'],
    snippets: [
      {
        label: 'JavaScript',
        language: 'ts',
        text: "import { ChatOpenAI } from '@langchain/openai';\nconst llm = new ChatOpenAI({ model: '{{model}}', apiKey: '{{token}}', configuration: { baseURL: '{{baseUrl}}/v1' } });\n",
      },
      {
        label: 'Python',
        language: 'python',
        text: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="{{model}}", base_url="{{baseUrl}}/v1", api_key="{{token}}")\n',
      },
    ],
  },
  {
    id: 'ai-sdk',
    name: 'Vercel AI SDK',
    dialect: 'openai',
    steps: ['Create an OpenAI-compatible provider for the port.'],
    snippets: [
      {
        label: 'TypeScript',
        language: 'ts',
        text: "import { createOpenAICompatible } from '@ai-sdk/openai-compatible';\nimport { generateText } from 'ai';\nconst switchboard = createOpenAICompatible({ name: 'switchboard', baseURL: '{{baseUrl}}/v1', apiKey: '{{token}}' });\nconst { text } = await generateText({ model: switchboard('{{model}}'), prompt: 'Hello' });\n",
      },
    ],
  },
];
