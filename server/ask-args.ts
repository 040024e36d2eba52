/** The arguments of `npm run ask` (`server/ask.ts`). */

/**
 * The question in `args`, or what is wrong with them (`help` for -h/--help). As for `parseArgs`,
 * everything after a lone `--` is the question; before it, a word starting with `-` is an option
 * (ask has only --help), unless it has a space in it: `"--base-url does what?"`, quoted, is a question.
 */
export function askArguments(args: readonly string[]): { question: string } | { help: true } | { error: string } {
  const words: string[] = [];
  let afterDashes = false;
  for (const arg of args) {
    if (afterDashes) words.push(arg);
    else if (arg === '--') afterDashes = true;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg.startsWith('-') && arg.length > 1 && !/\s/.test(arg)) {
      return { error: `unknown option ${arg} (a question that starts with - goes after --: npm run ask -- -- "${arg} …")` };
    } else words.push(arg);
  }
  const question = words.join(' ').trim();
  if (!question) return { error: 'no question given.' };
  return { question };
}
