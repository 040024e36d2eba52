import { describe, expect, it } from 'vitest';
import { EXTRACTIVE_LABEL, extractiveAnswer, terms } from '../server/answer/extractive';
import { abstainText } from '../server/answer/turn';
import type { AnswerSource } from '../server/chats/sources';
import { snippetOf } from '../server/chats/sources';

const source = (rank: number, title: string, heading: string, text: string): AnswerSource => ({
  rank,
  score: 1 - rank / 10,
  source: 'docs',
  path: `${title.toLowerCase()}.md`,
  title,
  heading,
  headings: [title, heading],
  anchor: heading.toLowerCase().replace(/\s+/g, '-'),
  url: `/${title.toLowerCase()}/#${heading.toLowerCase().replace(/\s+/g, '-')}`,
  snippet: snippetOf(text),
  chunkId: null,
  text,
});

describe('extractiveAnswer()', () => {
  const sources = [
    source(
      1,
      'Middleware',
      'Built-in middleware',
      'Hono ships many middleware. The CORS middleware adds the headers browsers need for cross-origin requests.\n\n```ts\napp.use("/api/*", cors())\n```\n\nIt accepts an origin option.',
    ),
    source(2, 'Routing', 'Grouping', 'Group routes with app.route(). Each group can have its own middleware.'),
    source(3, 'Cookies', 'Set a cookie', 'Use setCookie to set a cookie. Cookies are sent back by the browser.'),
  ];

  it('starts with the label, quotes the best sentences with their citation, and brings the code that follows', () => {
    const answer = extractiveAnswer('How do I enable CORS for cross-origin requests?', sources);
    expect(answer.startsWith(`${EXTRACTIVE_LABEL}\n\n`)).toBe(true);
    expect(answer).toContain('> The CORS middleware adds the headers browsers need for cross-origin requests. [1]');
    expect(answer).toContain('```ts\napp.use("/api/*", cors())\n```');
    expect(answer).not.toContain('setCookie');
  });

  it('brings the code block after a paragraph with whichever of its sentences is quoted, once', () => {
    const port = source(1, 'Configuration', 'PORT', 'The port the site and the API listen on, a whole number. Default `4321`.\n\n```sh\nPORT=8080 npm start\n```\n\nSet SITE_URL too.');
    const answer = extractiveAnswer('which port does the site listen on', [port], { maxPerSource: 1 });
    expect(answer).toContain('> The port the site and the API listen on, a whole number. [1]\n\n```sh\nPORT=8080 npm start\n```');
    // Both sentences of the paragraph quoted: the code block once, after the second.
    const both = extractiveAnswer('which port does the site listen on by default', [port]);
    expect(both).toContain('> The port the site and the API listen on, a whole number. [1]\n\n> Default `4321`. [1]\n\n```sh\nPORT=8080 npm start\n```');
    expect(both.match(/PORT=8080/g)).toHaveLength(1);
    // A paragraph after the code block is not what the code shows.
    const after = extractiveAnswer('SITE_URL', [port]);
    expect(after).toContain('> Set SITE_URL too. [1]');
    expect(after).not.toMatch(/Set SITE_URL too\. \[1\]\n\n```/);
  });

  it('takes at most maxPassages passages and maxPerSource from one source', () => {
    const answer = extractiveAnswer('middleware cookie routes group browser', sources, { maxPassages: 2, maxPerSource: 1 });
    expect(answer.match(/^> /gm)).toHaveLength(2);
    const cited = [...answer.matchAll(/\[(\d)\]$/gm)].map((m) => m[1]);
    expect(new Set(cited).size).toBe(2);
  });

  it('falls back to the top source’s first sentences when no term matches', () => {
    const answer = extractiveAnswer('zzz qqq', sources);
    expect(answer).toContain('> Hono ships many middleware. [1]');
  });

  it('quotes the sentence that introduces what a "what is X?" question asks about', () => {
    const docs = [
      source(1, 'Deploying Docent', 'Load balancers', 'Docent servers are stateless apart from the database. Run as many Docent servers as you need.'),
      source(2, 'Deploying Docent', 'Proxies', 'Docent streams answers, so turn off buffering for Docent at the proxy.'),
      source(3, 'Introduction', 'Overview', 'Docent is an open-source chatbot for documentation sites. It cites the sections it used.'),
      source(4, 'Deploying Docent', 'Backups', 'Back up the folder Docent keeps its database in.'),
      source(5, 'Deploying Docent', 'Postgres', 'Docent needs Postgres 15 or later with pgvector.'),
    ];
    expect(extractiveAnswer('What is Docent?', docs)).toContain('> Docent is an open-source chatbot for documentation sites. [3]');
  });

  it('opens a "what is X?" answer with the top source\'s introduction of X, read on, when it comes among its first sentences', () => {
    const docs = [
      source(1, 'Introduction', 'Overview', 'A friendly tool. Poetry is a tool for dependency management in Python. It allows you to declare the libraries your project depends on. It also builds packages.'),
      source(2, 'Contributing to Poetry', 'Local development', 'Poetry is developed using Poetry. Poetry and poetry-core are tested with pytest.'),
      source(3, 'Contributing to Poetry', 'Suggesting enhancements', 'Suggested enhancements concerning Poetry and poetry-core go to the Poetry issue tracker.'),
    ];
    const quotes = extractiveAnswer('What is Poetry?', docs).match(/^> .*$/gm)!;
    expect(quotes.slice(0, 2)).toEqual([
      '> Poetry is a tool for dependency management in Python. [1]',
      '> It allows you to declare the libraries your project depends on. [1]',
    ]);
    // Nothing else: the other pages match only the word "Poetry" ("Poetry is developed using Poetry.").
    expect(quotes).toHaveLength(2);
    // Another section of the introduction's own page goes on about Poetry: quoted after it.
    const samePage = extractiveAnswer('What is Poetry?', [...docs, source(4, 'Introduction', 'Installing', 'Install Poetry with pipx.')]).match(/^> .*$/gm)!;
    expect(samePage).toEqual([...quotes, '> Install Poetry with pipx. [4]']);
    // The question has words besides "Poetry": a passage with one of them is quoted after the introduction.
    const more = extractiveAnswer('What is Poetry for pytest users?', docs).match(/^> .*$/gm)!;
    expect(more.slice(0, 2)).toEqual(quotes);
    expect(more[2]).toBe('> Poetry and poetry-core are tested with pytest. [2]');
    // An introduction further down the top source does not open the answer (the sentence after it, without the question's words, is not quoted).
    const late = [
      source(1, 'Introduction', 'Overview', 'The first sentence here. The second sentence here. The third sentence here. Poetry is a tool for packaging. It builds wheels.'),
      docs[1]!,
    ];
    const lateAnswer = extractiveAnswer('What is Poetry?', late);
    expect(lateAnswer).toContain('> Poetry is a tool for packaging. [1]');
    expect(lateAnswer).not.toContain('It builds wheels.');
  });

  it('always quotes the top source, even when other sources repeat the question’s words more', () => {
    const docs = [
      // Retrieval put it first (its vector, say), though it shares no word with the question.
      source(1, 'Handlers', 'Responses', 'Call setCookie(c, name, value) in the handler.'),
      source(2, 'Cookies', 'Cookie options', 'Cookie options: a cookie can be secure. A cookie can be httpOnly.'),
      source(3, 'Cookies', 'Signed cookies', 'A signed cookie is a cookie with a signature. Cookie secrets rotate.'),
    ];
    const answer = extractiveAnswer('how do I set a cookie', docs, { maxPassages: 2, maxPerSource: 1 });
    expect(answer).toContain('> Call setCookie(c, name, value) in the handler. [1]');
    expect(answer.match(/^> /gm)).toHaveLength(2);
  });

  it('quotes as many passages of the top source as of any other, when they match the question', () => {
    const docs = [
      source(1, 'Models', 'Ollama', 'Point Docent at the local server. A model served by Ollama needs its name in CHAT_MODEL.'),
      source(2, 'Answering', 'Small models', 'Small local models with Ollama follow instructions less reliably than large models.'),
      source(3, 'Introduction', 'Models', 'A local Ollama model or a hosted model writes the answers.'),
    ];
    const answer = extractiveAnswer('use a local model with Ollama', docs);
    expect(answer).toContain('> Point Docent at the local server. [1]');
    expect(answer).toContain('> A model served by Ollama needs its name in CHAT_MODEL. [1]');
    expect(answer.match(/^> /gm)).toHaveLength(3);
  });

  it('quotes a table row as one line, its cells under their column headers', () => {
    const table = [
      'Options of the body parser:',
      '',
      '| option | default | description |',
      '|---|---|---|',
      '| `bodyLimit` | `1048576` | The largest body accepted, in bytes (`number \\| string`). |',
      '| `onProtoPoisoning` | `error` | What to do with a `__proto__` key. |',
    ].join('\n');
    const answer = extractiveAnswer('what is the default bodyLimit?', [source(1, 'Server', 'Options', table)]);
    expect(answer).toContain('> `bodyLimit` · default: `1048576` · description: The largest body accepted, in bytes (`number | string`). [1]');
    expect(answer).not.toContain('|---|');
    expect(answer).not.toContain('onProtoPoisoning');
    // A delimiter row of single dashes is a table too; a code block after the table is not its last row's.
    const short = ['| server | URL |', '|:-|-:|', '| LM Studio | `http://localhost:1234/v1` |', '', '```sh', 'OLLAMA_HOST=0.0.0.0', '```'].join('\n');
    const lm = extractiveAnswer('LM Studio URL', [source(1, 'Models', 'Local', short)]);
    expect(lm).toContain('> LM Studio · URL: `http://localhost:1234/v1` [1]');
    expect(lm).not.toContain('OLLAMA_HOST');
  });

  it('brings the code block after a table with the paragraph that introduces the table', () => {
    const text = [
      'Any server with the Chat Completions API works. Set `OPENAI_BASE_URL` to its address and `CHAT_MODEL` to a model it serves.',
      '',
      '| server | `OPENAI_BASE_URL` |',
      '|---|---|',
      '| vLLM | `http://localhost:8000/v1` |',
      '',
      '```sh',
      'OPENAI_BASE_URL=http://localhost:11434/v1',
      '```',
    ].join('\n');
    const answer = extractiveAnswer('how do I set the model it serves', [source(1, 'Models', 'Local servers', text)]);
    expect(answer).toContain('> Set `OPENAI_BASE_URL` to its address and `CHAT_MODEL` to a model it serves. [1]\n\n```sh\nOPENAI_BASE_URL=http://localhost:11434/v1\n```');
  });

  it('quotes a sentence ending in ":" with the table or list it introduces, and not the rows or items again', () => {
    const windows = [
      'Local servers run models with a smaller window, and what they do with a longer prompt differs:',
      '',
      '| server | a longer prompt |',
      '|---|---|',
      '| Ollama | silently cut from the start, see [its FAQ](./faq.md) |',
      '| vLLM | refused |',
      '',
      'Give the model 16,000 tokens if you can.',
    ].join('\n');
    const answer = extractiveAnswer('what do local servers do with a longer prompt than the window', [source(1, 'Answering', 'Windows', windows)]);
    expect(answer).toContain(
      '> Local servers run models with a smaller window, and what they do with a longer prompt differs: [1]\n\n| server | a longer prompt |\n|---|---|\n| Ollama | silently cut from the start, see [its FAQ](/answering/faq.md) |\n| vLLM | refused |',
    );
    expect(answer.match(/Ollama/g)).toHaveLength(1);
    // A list, after a blank line, up to maxListItems items.
    const settings = ['Docent reads these settings:', '', '- `PORT`: the port.', '  Default 4321.', '- `SITE_URL`: the address.', '- `DATA_DIR`: the folder.', '', 'Restart after a change.'].join('\n');
    const list = extractiveAnswer('which settings does Docent read', [source(1, 'Config', 'Settings', settings)], { maxListItems: 2 });
    expect(list).toContain('> Docent reads these settings: [1]\n\n- `PORT`: the port.\n  Default 4321.\n- `SITE_URL`: the address.\n- …');
    expect(list).not.toContain('DATA_DIR');
    // A paragraph of prose after it is not what it introduces.
    const prose = extractiveAnswer('which settings does Docent read', [source(1, 'Config', 'Settings', 'Docent reads these settings:\n\nPORT is the port.')]);
    expect(prose).toContain('> Docent reads these settings: [1]');
    expect(prose).not.toMatch(/settings: \[1\]\n\n(?!>)/);
  });

  it('quotes a list on the line after its ":" sentence as it quotes one after a blank line: bullets, and ordered lists that start at 1', () => {
    const options = 'The server accepts these options:\n- `port`: the port to listen on\n- `host`: the address to bind\n- `timeout`: seconds before an idle connection closes';
    const steps = 'To deploy the server, run these steps in order:\n1. Build the site.\n2. Copy the dist folder to the host.\n3. Start the server with npm start.';
    for (const [question, text] of [
      ['which options does the server accept', options],
      ['how do I deploy the server', steps],
    ] as const) {
      const sameParagraph = extractiveAnswer(question, [source(1, 'Server', 'Options', text)]);
      expect(sameParagraph).toBe(extractiveAnswer(question, [source(1, 'Server', 'Options', text.replace(':\n', ':\n\n'))]));
      expect(sameParagraph).toContain(`> ${text.split('\n')[0]} [1]\n\n${text.split('\n').slice(1).join('\n')}`);
    }
    // An ordered list that does not start at 1 cannot interrupt a paragraph: the line is the sentence's.
    const wrapped = source(1, 'Server', 'Retries', 'Requests are retried this many times by default:\n3. Set retries to change it.');
    expect(extractiveAnswer('how many times are requests retried by default', [wrapped])).toContain('> Requests are retried this many times by default: 3. [1]');
  });

  it('answers "How do I…?" with the top source’s step that shows how (its code, its table) over a sentence about it', () => {
    const servers = source(
      1,
      'Answers',
      'Using Ollama',
      [
        'Any server that implements the Chat Completions API works. Set `OPENAI_BASE_URL` to the local server’s `/v1` address and `CHAT_MODEL` to a model it serves.',
        '',
        '```sh\nOPENAI_BASE_URL=http://localhost:11434/v1\nCHAT_MODEL=llama3.1\n```',
        '',
        'Small local models served by Ollama follow the instructions less reliably than large hosted ones.',
      ].join('\n'),
    );
    const other = source(2, 'Embeddings', 'Local models', 'Local embedding models run offline.\n\n```sh\nEMBEDDING_PROVIDER=local\n```');
    const setup = '> Set `OPENAI_BASE_URL` to the local server’s `/v1` address and `CHAT_MODEL` to a model it serves. [1]\n\n```sh\nOPENAI_BASE_URL=';
    for (const question of ['How do I use a local model with Ollama?', 'how can I use a local model with ollama', 'How to use a local model with Ollama']) {
      const answer = extractiveAnswer(question, [servers, other], { maxPassages: 1 });
      expect(answer).toContain(setup);
    }
    // Not asked how: the sentence that shares the question's words.
    expect(extractiveAnswer('local model with Ollama', [servers, other], { maxPassages: 1 })).toContain('> Small local models served by Ollama');
  });

  it('weighs a sentence ending in ":" with nothing after it to quote as little as a pointer', () => {
    const text = 'Settings in the environment override `.env`.\n\nDocent reads its settings from the environment:';
    const answer = extractiveAnswer('docent settings environment', [source(1, 'Config', 'Settings', text)], { maxPerSource: 1 });
    expect(answer).toContain('> Settings in the environment override `.env`. [1]');
    expect(answer).not.toContain('from the environment:');
  });

  it('shows a code block once when two quoted passages come with the same one', () => {
    const a = source(1, 'Troubleshooting', 'Vector extension', 'Create the vector extension as an administrator:\n\n```sh\npsql -c "CREATE EXTENSION vector;"\n```');
    const b = source(2, 'Deploying', 'Postgres', 'The vector extension needs an administrator once:\n\n```bash\npsql -c "CREATE EXTENSION vector;"\n```');
    const answer = extractiveAnswer('create the vector extension administrator', [a, b]);
    expect(answer).toContain('> Create the vector extension as an administrator: [1]\n\n```sh\npsql -c "CREATE EXTENSION vector;"\n```');
    expect(answer).toContain('> The vector extension needs an administrator once: [2]');
    expect(answer.match(/CREATE EXTENSION/g)).toHaveLength(1);
  });

  it('matches a misspelt question word to the word of the passages it is one edit from, as retrieval does', () => {
    const answer = extractiveAnswer('midleware for a grup', sources);
    expect(answer).toContain('> Each group can have its own middleware. [2]');
    // A correctly spelt word is kept as written: "grout" is not "group".
    expect(extractiveAnswer('a grout', sources)).not.toContain('[2]');
  });

  it('does not quote a run of links (a table of contents or an index)', () => {
    const text = [
      'The body limit is set with the bodyLimit option of the server.',
      '',
      '- [FST_ERR_BODY_LIMIT](#fst_err_body_limit) [FST_ERR_BODY_TYPE](#fst_err_body_type) [FST_ERR_BODY_EMPTY](#fst_err_body_empty)',
    ].join('\n');
    const answer = extractiveAnswer('FST_ERR_BODY_LIMIT body limit', [source(1, 'Errors', 'Codes', text)]);
    expect(answer).toContain('> The body limit is set with the bodyLimit option of the server. [1]');
    expect(answer).not.toContain('FST_ERR_BODY_TYPE');
    // Images are not links.
    const images = 'Click ![a](a.png) then ![settings icon](b.png) and ![save button](c.png) to open the limit menu.';
    expect(extractiveAnswer('limit menu', [source(1, 'UI', 'Menu', images)])).toContain('to open the limit menu. [1]');
  });

  it('does not quote a table of contents entry (a link alone, or then a short description), but quotes sentences with links', () => {
    const toc = [
      'Where to go next:',
      '',
      '- [Deploying Docent](/guides/deployment/): Postgres, several instances, nginx and backups.',
      '- **[Proxies and nginx](/guides/proxies/)** - buffering, timeouts',
      '- [Running Docent behind nginx](#running-docent-behind-nginx)',
    ].join('\n');
    const prose = 'Docent streams answers, so turn off proxy buffering in nginx. See [Deploying Docent](/guides/deployment/#nginx) for nginx timeouts.';
    const docs = [source(1, 'Home', 'Next', toc), source(2, 'Deploying', 'Proxies', prose)];
    const answer = extractiveAnswer('nginx buffering timeouts', docs);
    expect(answer).toContain('> Docent streams answers, so turn off proxy buffering in nginx. [2]');
    expect(answer).toContain('> See [Deploying Docent](/guides/deployment/#nginx) for nginx timeouts. [2]');
    expect(answer).not.toContain('buffering, timeouts');
    expect(answer).not.toContain('Running Docent behind nginx');
    expect(extractiveAnswer('nginx backups', docs)).not.toContain('Postgres, several instances');
    // A parameter whose name links to its entry, or an item saying more than one short sentence, is quoted.
    const params = [
      '- [`maxRetries`](#maxretries): Maximum number of retries.',
      '- [Retries](/guides/retries/): Docent retries a failed call twice. Set maxRetries to 0 to turn retries off.',
    ].join('\n');
    const retries = extractiveAnswer('maxRetries retries', [source(1, 'Options', 'Retries', params)]);
    expect(retries).toContain('> [`maxRetries`](/options/#maxretries): Maximum number of retries. [1]');
    expect(retries).toContain('> [Retries](/guides/retries/): Docent retries a failed call twice. Set maxRetries to 0 to turn retries off. [1]');
  });

  it('quotes a list item whole, short items without a full stop together, and never runs one item into the next', () => {
    const params = source(
      1,
      'generateText',
      'Parameters',
      [
        '- `maxRetries` (number, optional): Maximum number of retries. Set to 0 to disable retries. Default: 2.',
        '- `abortSignal` (AbortSignal, optional): An optional abort signal that can be used to cancel the call.',
      ].join('\n'),
    );
    const answer = extractiveAnswer('How many retries does generateText make by default?', [params]);
    expect(answer).toContain('> `maxRetries` (number, optional): Maximum number of retries. Set to 0 to disable retries. Default: 2. [1]');
    // Short items without a full stop are one list: quoted together, not glued into one sentence.
    const steps = source(1, 'Install', 'Steps', '- Install the package with npm\n- Run the server with npm start\n\nThe server listens on port 3000.');
    expect(extractiveAnswer('how do I run the server', [steps])).toContain('> Install the package with npm; Run the server with npm start [1]');
    // Items that continue one sentence stay one sentence; a wrapped item is one item.
    const records = source(
      1,
      'Chats',
      'What is recorded',
      'Each answer keeps the question,\n- the sources it cited,\n- its feedback.\n- `score` (number): The source\n  score, from 0 to 1.\n- `rank` (number): Its rank.',
    );
    const answer2 = extractiveAnswer('what does an answer keep about cited sources and score', [records]);
    expect(answer2).toContain('> Each answer keeps the question, the sources it cited, its feedback. [1]');
    expect(answer2).toContain('> `score` (number): The source score, from 0 to 1. [1]');
  });

  it('quotes a sentence once when near-duplicate pages (v1/ and v2/ copies of a page) both have it, from the better-ranked page', () => {
    const page = (rank: number, path: string, text: string): AnswerSource => ({ ...source(rank, 'Configuration', 'Timeouts', text), path, url: `/${path.replace(/\.md$/, '')}/#timeouts` });
    const v2 = page(1, 'v2/config.md', 'The client waits 30 seconds for a response by default. Set `timeout` to change how long it waits for a response.\n\nA timeout of 0 waits forever.');
    // The same sentences, one space or line break apart, as copies of a page differ.
    const v1 = page(2, 'v1/config.md', 'The client waits 30 seconds for a response by default.  Set `timeout` to change\nhow long it waits for a response.\n\nRetries are not supported in v1.');
    const requests = page(3, 'v2/requests.md', 'Each request can override the client timeout with its own `timeout` option.');
    const question = 'How long does the client wait for a response, and how do I change the timeout?';
    const answer = extractiveAnswer(question, [v2, v1, requests]);
    expect(answer.match(/Set `timeout` to change/g)).toHaveLength(1);
    expect(answer.match(/waits 30 seconds/g)).toHaveLength(1);
    expect(answer).toContain('> Set `timeout` to change how long it waits for a response. [1]');
    expect(answer).toContain('> Each request can override the client timeout with its own `timeout` option. [3]');
    // The top page's copy further down its section (it loses to the other page's on position): still quoted once, from the top page.
    const late = page(1, 'v2/config.md', `${'Clients are created once. '.repeat(8)}\n\nSet \`timeout\` to change how long it waits for a response.`);
    const answer2 = extractiveAnswer('how do I change how long it waits for a response', [late, v1, requests]);
    expect(answer2.match(/Set `timeout` to change/g)).toHaveLength(1);
    expect(answer2).toContain('> Set `timeout` to change how long it waits for a response. [1]');
  });

  it('keeps a number that starts a wrapped line of a sentence, as CommonMark reads it, and still reads ordered lists', () => {
    const proxy = source(
      1,
      'Deployment',
      'Reverse proxy',
      "Docent sends a keep-alive comment every 15 seconds, so a proxy that closes idle connections after 30 seconds or more (nginx's default is\n60) does not cut the answer off.",
    );
    expect(extractiveAnswer('does nginx cut idle connections off', [proxy])).toContain("(nginx's default is 60) does not cut the answer off. [1]");
    // Items of an ordered list, nested lists and a list that starts at another number stay items.
    const steps = source(1, 'Install', 'Steps', 'Install it:\n1. Download the archive.\n   1. Check its checksum.\n   2. Unpack it.\n2. Run the installer.\n\n3. Restart the server.');
    const answer = extractiveAnswer('how do I run the installer and restart the server after unpacking', [steps], { maxPassages: 5, maxPerSource: 5 });
    expect(answer).toContain('> Unpack it. [1]');
    expect(answer).toContain('> Run the installer. [1]');
    expect(answer).toContain('> Restart the server. [1]');
  });

  it('quotes a question in the docs together with the sentence that answers it, never alone', () => {
    const faq = [source(1, 'Caching', 'Clearing the cache', 'Run `lumen clean` to delete the cache.\n\nWhy are old thumbnails still served?\nYour CDN may hold copies for up to 24 hours.')];
    const answer = extractiveAnswer('Why are old thumbnails still served?', faq);
    expect(answer).toContain('> Why are old thumbnails still served? Your CDN may hold copies for up to 24 hours. [1]');
    expect(answer).not.toMatch(/served\? \[1\]/);
  });

  it("points a quoted passage's links where they lead on its source's page, wherever the answer is shown", () => {
    const text = [
      'Create the vector extension ahead of time, see [ahead of time](#creating-ahead-of-time), or [the FAQ](./faq.md) and [backups](/backups/#postgres).',
      '',
      'Postgres needs the pgvector extension, see ![diagram](../img/pg.png) and [the spec][1], or [Postgres](https://postgresql.org/#x) and `[code](#kept)`.',
    ].join('\n');
    const answer = extractiveAnswer('vector extension postgres pgvector', [source(1, 'Deploying', 'Postgres', text)]);
    expect(answer).toContain('[ahead of time](/deploying/#creating-ahead-of-time)');
    expect(answer).toContain('[the FAQ](/deploying/faq.md)');
    expect(answer).toContain('[backups](/backups/#postgres)');
    expect(answer).toContain('![diagram](/img/pg.png)');
    // A reference link has lost its definition at ingest: its text, not a "[1]" that reads as a citation.
    expect(answer).toContain('see ![diagram](/img/pg.png) and the spec, or [Postgres](https://postgresql.org/#x) and `[code](#kept)`. [1]');
    // A site given with an absolute base URL: links become absolute on it.
    const absolute = { ...source(1, 'Deploying', 'Postgres', text), url: 'https://docs.example.com/deploying/#postgres' };
    expect(extractiveAnswer('vector extension ahead', [absolute])).toContain('[ahead of time](https://docs.example.com/deploying/#creating-ahead-of-time)');
  });

  it('terms() drops stopwords and folds suffixes the same way for question and text', () => {
    expect(terms('library libraries cookie cookies')).toEqual(['librari', 'librari', 'cooki', 'cooki']);
    expect(terms('How do I set the cookies for routes?')).toEqual(['set', 'cooki', 'route']);
  });
});

describe('abstainText()', () => {
  it('says plainly that the docs do not cover it and lists the closest pages with scores', () => {
    const text = abstainText([source(1, 'Cookies', 'Set a cookie', 'x')], 0.3);
    expect(text).toContain('I could not find this in the documentation');
    expect(text).toContain('- [Cookies › Set a cookie](/cookies/#set-a-cookie) (score 0.90)');
    expect(text).toContain('minimum score of 0.30');
  });

  it('leaves out a score that would show as 0.00: it says nothing about how close the page is', () => {
    const text = abstainText([{ ...source(1, 'Cookies', 'Set a cookie', 'x'), score: 0.004 }, { ...source(2, 'Routing', '', 'x'), score: 0.012 }], 0.3);
    expect(text).toContain('- [Cookies › Set a cookie](/cookies/#set-a-cookie)\n');
    expect(text).toContain('(score 0.01)');
    expect(text).not.toContain('0.00');
  });
});

describe('extractiveAnswer() passes over sentences that do not answer', () => {
  it('does not count the words of a question the docs quote as an example', () => {
    const start = source(1, 'Quick start', 'Ask', 'Click the chat button and ask, for example, "How do I change the port?". The site opens on port 4321 in a browser.');
    const config = source(2, 'Configuration', 'PORT', 'The port the server listens on. Set PORT to change it.');
    const answer = extractiveAnswer('How do I change the port?', [start, config], { maxPerSource: 1 });
    expect(answer).not.toContain('for example, "How do I change the port?"');
    expect(answer).toContain('The site opens on port 4321 in a browser.');
    expect(answer).toContain('Set PORT to change it.');
  });

  it('quotes a link-only "See …" sentence only when nothing else matches', () => {
    const page = source(1, 'Settings', 'Settings', 'See [Tracing with LangSmith](/guides/langsmith/). LangSmith needs an API key in the environment.');
    const answer = extractiveAnswer('How do I enable LangSmith tracing?', [page], { maxPerSource: 1 });
    expect(answer).toContain('LangSmith needs an API key in the environment.');
    expect(answer).not.toContain('See [Tracing');
    const alone = extractiveAnswer('LangSmith tracing', [source(1, 'Tracing', 'Tracing', 'See [Tracing with LangSmith](/guides/langsmith/).')]);
    expect(alone).toContain('See [Tracing with LangSmith]');
  });
});

describe('extractiveAnswer() quotes code that no sentence introduces', () => {
  const sectionOf = (rank: number, title: string, heading: string, text: string): AnswerSource => ({ ...source(rank, title, heading, text), headings: [title, heading] });
  const usage = sectionOf(1, 'Basic Auth Middleware', 'Usage', '```ts\nconst app = new Hono()\napp.use("/auth/*", basicAuth({ username: "hono", password: "acoolproject" }))\n```');
  const options = sectionOf(2, 'Basic Auth Middleware', 'Options', 'The realm is the name of the protected area. The password is compared in constant time.');

  it('quotes a code-only top source under its headings, cited, instead of leaving it out', () => {
    const answer = extractiveAnswer('How do I protect routes with basic auth?', [usage, options]);
    expect(answer).toContain('> Basic Auth Middleware › Usage: [1]\n\n```ts\nconst app = new Hono()\napp.use("/auth/*", basicAuth(');
    // The other source's sentences still come after it.
    expect(answer.indexOf('[1]')).toBeLessThan(answer.indexOf('[2]'));
  });

  it('answers from a code-only section alone rather than listing links', () => {
    const answer = extractiveAnswer('install hono', [sectionOf(1, 'Quick start', 'Install', '```sh\nnpm create hono@latest my-app\n```')]);
    expect(answer).toBe(`${EXTRACTIVE_LABEL}\n\n> Quick start › Install: [1]\n\n\`\`\`sh\nnpm create hono@latest my-app\n\`\`\``);
  });

  it('caps a long code block at maxCodeLines', () => {
    const long = sectionOf(1, 'Config', 'Example', `\`\`\`ts\n${Array.from({ length: 30 }, (_, i) => `line${i}()`).join('\n')}\n\`\`\``);
    const answer = extractiveAnswer('config example', [long], { maxCodeLines: 5 });
    expect(answer).toContain('line4()\n// …\n```');
    expect(answer).not.toContain('line5()');
  });

  it('quotes a lower-ranked source’s lead code block only when the question asks for code', () => {
    const prose = sectionOf(1, 'Routing', 'Grouping', 'Group routes with app.route(). Each group of routes can have its own middleware.');
    const example = sectionOf(2, 'Routing', 'Grouping example', '```ts\nconst api = new Hono()\napp.route("/api", api)\n```');
    expect(extractiveAnswer('example of grouping routes', [prose, example])).toContain('> Routing › Grouping example: [2]\n\n```ts\nconst api = new Hono()');
    // Not asked for: the sentences answer, and the other source's code stays out.
    const answer = extractiveAnswer('how do I group routes', [prose, example]);
    expect(answer).not.toContain('[2]');
    expect(answer).toContain('> Group routes with app.route(). [1]');
  });

  it('prefers the top source’s sentences to its lead code block unless the question asks for code', () => {
    const http = sectionOf(1, 'http', 'Usage', '```ts\nconst transport = http("https://eth.example.com")\n```\n\nIf no URL is provided, the transport falls back to a public RPC URL.');
    const answer = extractiveAnswer('what URL does the http transport use', [http]);
    expect(answer).toContain('> If no URL is provided, the transport falls back to a public RPC URL. [1]');
    expect(answer).not.toContain('http › Usage');
    expect(extractiveAnswer('http transport usage', [http])).toContain('> http › Usage: [1]\n\n```ts\nconst transport = http(');
  });

  it('quotes the sentence ending in ":" with its list rather than list items run together into one sentence', () => {
    const cache = sectionOf(1, 'Cache', 'Location', 'The cache is kept in a folder that depends on the system:\n\n- on Linux, `~/.cache/app`\n- macOS: `~/Library/Caches/app`\n- windows: `%LOCALAPPDATA%\\app`');
    const answer = extractiveAnswer('where is the cache on macos', [cache]);
    expect(answer).toContain('> The cache is kept in a folder that depends on the system: [1]\n\n- on Linux, `~/.cache/app`\n- macOS: `~/Library/Caches/app`\n');
    expect(answer).not.toContain('> on Linux');
    // An item quoted whole says what it is on its own: quoted alone.
    const options = sectionOf(1, 'CLI', 'Options', 'Start the server with these options:\n\n- `--port`: the port the server listens on, a whole number. Default `4321`.\n- `--host`: the address it binds to.');
    expect(extractiveAnswer('which port does the server listen on', [options])).toContain('> `--port`: the port the server listens on, a whole number. Default `4321`. [1]');
  });

  it('does not cut a sentence after "e.g.", "i.e.", "cf." or "vs.", but does after "etc." that ends one', () => {
    const validate = sectionOf(1, 'Validation', 'JSON', 'When you validate `json`, the request must contain a matching header (e.g. `Content-Type: application/json`). Otherwise the body is not parsed.');
    expect(extractiveAnswer('which header must a json request contain to validate', [validate])).toContain('> When you validate `json`, the request must contain a matching header (e.g. `Content-Type: application/json`). [1]');
    const lambda = sectionOf(1, 'Serverless', 'Lambda', 'Run the app like always, i.e. `node app.js`, to listen on a port locally. Compare the two modes (cf. Deployment) and the tab widths (vs. `2`) before you start.');
    const answer = extractiveAnswer('how to run the app locally on a port', [lambda]);
    expect(answer).toContain('> Run the app like always, i.e. `node app.js`, to listen on a port locally. [1]');
    expect(extractiveAnswer('compare the modes and tab widths', [lambda])).toContain('> Compare the two modes (cf. Deployment) and the tab widths (vs. `2`) before you start. [1]');
    const etc = sectionOf(1, 'Images', 'Commands', 'An image may add arguments, wrap the command, etc. On Windows the wrapper script is a batch file.');
    expect(extractiveAnswer('what is the wrapper script on Windows', [etc])).toContain('> On Windows the wrapper script is a batch file. [1]');
  });

  it('leaves a code block that follows other code in the section with it: only a section’s lead code stands alone', () => {
    const priority = sectionOf(1, 'Routing', 'Routing priority', 'Handlers run in registration order.\n\n```ts\napp.get("/book/a", a)\n```\n\n```\nGET /book/a ---> a\n```');
    const answer = extractiveAnswer('routing priority order', [priority]);
    expect(answer).toContain('> Handlers run in registration order. [1]\n\n```ts\napp.get("/book/a", a)\n```');
    expect(answer).not.toContain('GET /book/a --->');
  });
});

describe('extractiveAnswer() quotes code nested in a list item as code', () => {
  const page = (path: string, text: string): AnswerSource => ({ ...source(1, 'Install', 'Setup', text), path });

  it('quotes a fenced block indented in a list item as a code block after its item, never as a sentence', () => {
    const steps = page('install.md', '1. Create a new project. Run the create command:\n\n   ```sh\n   npm create astro -- --template starlight\n   ```\n\n2. Start the dev server.');
    const answer = extractiveAnswer('How do I create a new project with the create command?', [steps]);
    expect(answer).toContain('> Create a new project. Run the create command: [1]\n\n```sh\nnpm create astro -- --template starlight\n```');
    expect(answer).not.toMatch(/^> .*```/m);
    // The same with tildes.
    const tildes = page('install.md', '1. Create a new project. Run the create command:\n\n   ~~~sh\n   npm create astro -- --template starlight\n   ~~~\n\n2. Start the dev server.');
    const tildeAnswer = extractiveAnswer('How do I create a new project with the create command?', [tildes]);
    expect(tildeAnswer).toContain('> Create a new project. Run the create command: [1]\n\n~~~sh\nnpm create astro -- --template starlight\n~~~');
    expect(tildeAnswer).not.toMatch(/^> .*~~~/m);
  });

  it('keeps the code’s own indentation and reads a block whose opening fence lost its indentation but not its closing one', () => {
    const config = page('config.mdx', '1. Update your config file:\n\n   ```js\n   export default {\n   \tintegrations: [starlight()],\n   };\n   ```\n\n2. Restart.');
    expect(extractiveAnswer('how do I update the config file', [config])).toContain('```js\nexport default {\n\tintegrations: [starlight()],\n};\n```');
    const moved = page('tailwind.mdx', '1. Add the Tailwind integration:\n\n```sh\n    npx astro add tailwind\n    ```\n\n2. Install the plugin.');
    const answer = extractiveAnswer('how do I add the tailwind integration', [moved]);
    expect(answer).toContain('> Add the Tailwind integration: [1]\n\n```sh\nnpx astro add tailwind\n```');
    expect(answer).not.toMatch(/^> .*```/m);
  });

  it('quotes code indented four columns past a list item’s content as code in markdown, as text in MDX (which has no indented code)', () => {
    const text = '1. Create a new project. Run the create command:\n\n       npm create astro -- --template starlight\n\n2. Start the dev server.\n   - Open the page it prints.\n\n     It reloads on every change.';
    const answer = extractiveAnswer('How do I create a new project with the create command?', [page('install.md', text)]);
    expect(answer).toContain('> Create a new project. Run the create command: [1]\n\n```\nnpm create astro -- --template starlight\n```');
    expect(answer).not.toContain('> npm create astro');
    // A nested item's paragraph is indented past the outer item's content, but not past its own: text.
    expect(extractiveAnswer('does it reload on every change', [page('install.md', text)])).toContain('> It reloads on every change. [1]');
    expect(extractiveAnswer('How do I create a new project with the create command?', [page('install.mdx', text)])).not.toContain('```');
  });

  it('quotes the code of an item with the list a sentence ending in ":" introduces, and the items after it', () => {
    const steps = page('theme.md', 'To install the theme, follow these steps:\n\n1. Install the package with npm:\n   ```sh\n   npm install theme\n   ```\n2. Add the theme to your config.\n3. Restart the server.');
    const answer = extractiveAnswer('How do I install the theme?', [steps]);
    expect(answer).toContain(
      '> To install the theme, follow these steps: [1]\n\n1. Install the package with npm:\n   ```sh\n   npm install theme\n   ```\n2. Add the theme to your config.\n3. Restart the server.',
    );
    expect(answer.match(/Add the theme to your config/g)).toHaveLength(1);
  });

  it('puts code of an introduced list’s item into the quoted list, so the item does not outweigh the sentence that introduces it', () => {
    // Black's FAQ (MIT): the items run into one another as sentences (they start in lower case).
    const cells = page(
      'faq.md',
      [
        '_Black_ is timid about formatting Jupyter Notebooks. Cells containing any of the\nfollowing will not be formatted:',
        '',
        '- automagics (e.g. `pip install black`)',
        '- non-Python cell magics (e.g. `%%writeline`). These can be added with the flag',
        '  `--python-cell-magics`, e.g. `black --python-cell-magics writeline hello.ipynb`.',
        '- multiline magics, e.g.:',
        '',
        '  ```python',
        '  %timeit f(1, \\',
        '          2)',
        '  ```',
        '',
        "- invalid syntax, as it can't be safely distinguished from automagics.",
      ].join('\n'),
    );
    const answer = extractiveAnswer('My notebook cell that starts with %%writefile is left untouched by black.', [cells]);
    expect(answer).toContain('> Cells containing any of the following will not be formatted: [1]\n\n- automagics (e.g. `pip install black`)\n');
    expect(answer).toContain('- multiline magics, e.g.:\n  ```python\n  %timeit f(1, \\\n          2)\n  ```');
    expect(answer).not.toMatch(/^> `pip install black`\)/m);
    expect(answer.match(/%timeit/g)).toHaveLength(1);
  });
});
