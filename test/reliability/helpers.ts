import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles, repoRoot } from '../helpers.ts';
import { makeTempFolder } from '../temp-folders.ts';

export const GAZETTE_BIN = path.join(repoRoot, 'bin/gazette.js');

/** A news article among many: categories, tags and authors shared with its neighbours. */
export function generatedArticle(index: number, version = 0): string {
  const day = String((index % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(index / 28) % 12) + 1).padStart(2, '0');
  return `---
title: "Report ${index} on the regional economy, version ${version}"
date: 2024-${month}-${day} ${String(index % 24).padStart(2, '0')}:15:00
categories: [${['World', 'Economy', 'Science', 'Culture'][index % 4]}, ${['Asia', 'Europe', 'Americas'][index % 3]}]
tags: [tag${index % 17}, topic${index % 5}]
author: Reporter ${index % 9}
from: https://news.example/${index}
---
<p>Paragraph one of article ${index}, version ${version}. ${'Markets and trade figures. '.repeat(20)}</p>
<p><img src="https://img.example/${index}.jpg" alt="picture ${index}"></p>
<p>Paragraph two. ${'更多的新闻内容。'.repeat(30)}</p>
`;
}

export function makeGeneratedProject(count: number, version = 0): string {
  const root = makeTempFolder('gazette-reliability-');
  mkdirSync(path.join(root, 'content'));
  writeArticles(root, count, version);
  return root;
}

export function writeArticles(root: string, count: number, version: number, from = 0): void {
  for (let index = from; index < count; index++) {
    writeFileSync(
      path.join(root, 'content', `article-${index}.md`),
      generatedArticle(index, version),
    );
  }
}

/** Relative path → SHA-1 of every file under a folder (empty when it does not exist). */
export function snapshot(folder: string): Record<string, string> {
  if (!existsSync(folder)) return {};
  return Object.fromEntries(
    listFiles(folder).map((file) => [
      file,
      createHash('sha1')
        .update(readFileSync(path.join(folder, file)))
        .digest('hex'),
    ]),
  );
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Runs `node bin/gazette.js …` as a child process, collecting its output. */
export function runGazette(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const child = spawn(process.execPath, [GAZETTE_BIN, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, CI: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
