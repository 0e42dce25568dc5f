import type { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/schema.ts';
import type { PageContext, RenderResult } from '../render/render.ts';
import { startWorker } from './start-worker.ts';

export interface RenderRequest {
  id: number;
  template: string;
  context: PageContext;
  /** Where to write the page once rendered, if the worker is to write it. */
  target?: string;
}

export interface RenderAnswer {
  id: number;
  result: RenderResult;
  /** The page is on disk at the request's target. */
  written?: boolean;
  /** Its size in bytes, when written. */
  size?: number;
  /** Writing it failed (an error code such as `EISDIR` when a folder is in the way). */
  writeError?: { code?: string; message: string; path: string };
}

/** Pages handed to the worker and not yet back: enough to keep it busy between checks. */
const IN_HAND = 16;

/**
 * A worker thread that renders templates and writes new pages while the main thread works
 * out pages' variables and keys and feeds the extensions (Nunjucks and writing are over half
 * of the render stage, and the transform workers are done by then). A page is handed over
 * only while the worker is up and has fewer than `IN_HAND` pages; otherwise the caller
 * renders it itself, so the two threads share the work by how fast each goes. Variables are
 * plain data: the worker renders the same HTML from a copy of them.
 */
export class RenderHelper {
  private readonly worker: Worker;
  private ready = false;
  private markStarted: () => void = () => {};
  /** Settles once the worker can take pages, or has stopped. */
  readonly started = new Promise<void>((resolve) => {
    this.markStarted = resolve;
  });
  private stopped = false;
  private failureReason: string | undefined;
  private nextId = 0;
  /** Answers awaited, by request id; undefined means "render it yourself". */
  private readonly waiting = new Map<number, (answer: RenderAnswer | undefined) => void>();

  constructor(options: {
    config: SiteConfig;
    templatesDir: string;
    compiledTemplatesDir?: string;
  }) {
    this.worker = startWorker('render-worker', options);
    this.worker.on('message', (message: 'ready' | RenderAnswer) => {
      if (message === 'ready') {
        this.ready = true;
        this.markStarted();
        return;
      }
      const answer = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      answer?.(message);
    });
    // A worker that cannot start, dies or cannot read a request leaves its pages to the
    // main thread.
    this.worker.on('error', (error) => this.stop(error.message));
    this.worker.on('exit', (code) => this.stop(`exited with code ${code}`));
    this.worker.on('messageerror', (error) => this.stop(error.message));
  }

  /** Why the worker stopped before it was closed, if it did. */
  get failure(): string | undefined {
    return this.failureReason;
  }

  /**
   * Hands a page to the worker to render (and write to `target`, if given), if it can take
   * it now: the promise gives the answer, or undefined if the worker stopped first (the
   * caller then renders the page).
   */
  offer(
    template: string,
    context: PageContext,
    target?: string,
  ): Promise<RenderAnswer | undefined> | undefined {
    if (!this.ready || this.stopped || this.waiting.size >= IN_HAND) return undefined;
    const id = this.nextId++;
    const request: RenderRequest = { id, template, context, ...(target ? { target } : {}) };
    try {
      this.worker.postMessage(request);
    } catch {
      // Variables that cannot be copied to another thread: rendered here.
      return undefined;
    }
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  async close(): Promise<void> {
    this.stop();
    await this.worker.terminate();
  }

  private stop(failure?: string): void {
    if (failure && !this.stopped) this.failureReason = failure;
    this.stopped = true;
    this.markStarted();
    for (const answer of this.waiting.values()) answer(undefined);
    this.waiting.clear();
  }
}
