/**
 * A worker opens its sources once per trajectory, not once per job: in a browser every
 * message carries new Blob objects (structured clone), so the jobs key the opened trajectory by
 * sourcesKey (name, size, modification time, type), not by identity. Re-opening per job meant
 * decompressing and indexing the .gz again for every chunk (the explorer's run of the Cu(211)
 * preset took 453 s instead of ~40 s).
 */
import { describe, expect, it } from 'vitest';
import type { FrameSource } from '../../src/core/descriptors/lens/compute-lens.ts';
import { createLensJobs } from '../../workers/lens-jobs.ts';
import { createPipelineJobs, type PipelineLensRequest } from '../../workers/pipeline-jobs.ts';
import { createSoapJobs } from '../../workers/soap-jobs.ts';

const N_ATOMS = 3, N_FRAMES = 4;

/** A tiny periodic trajectory (3 atoms in a 10 Å cube, moving along x). */
function tinySource(): FrameSource {
  return {
    nAtoms: N_ATOMS, nFrames: N_FRAMES, pbc: [true, true, true],
    readFrame: async (i) => ({
      positions: Float64Array.from([1 + 0.5 * i, 1, 1, 2, 1, 1, 5, 5, 5]),
      cell: Float64Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10]),
    }),
  };
}

/** The same dropped file as a new object, as a worker receives it with each message. */
const file = (lastModified: number) => new File(['the same bytes'], 'cu.lammpstrj.gz', { lastModified, type: 'application/gzip' });

function lensRequest(sources: Blob[], first: number): PipelineLensRequest {
  return { feed: { sources, pbc: [true, true, true] }, first, count: 1, params: { cutoff: 3, delay: 1 } };
}

describe('pipeline jobs: sources opened once per worker', () => {
  it('reuses the opened trajectory for new Blob objects of the same file and reopens for another file', async () => {
    let opens = 0;
    const jobs = createPipelineJobs({ open: async () => { opens++; return tinySource(); } });
    for (let first = 1; first < N_FRAMES; first++) {
      const r = await jobs.pipelineLens(first, lensRequest([file(1000)], first));
      expect(r.ok).toBe(true);
    }
    expect(opens).toBe(1);
    // Another file (here: modified since) is opened again.
    expect((await jobs.pipelineLens(9, lensRequest([file(2000)], 1))).ok).toBe(true);
    expect(opens).toBe(2);
  });
});

describe('SOAP and LENS jobs: jobs arriving while the files open share one opening', () => {
  /** An open that resolves only when released, counting calls. */
  function slowOpen() {
    let opens = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    return { open: async () => { opens++; await gate; return tinySource(); }, opens: () => opens, release: () => release() };
  }

  it('soapSourceFrame: two concurrent jobs, one open; rows for both', async () => {
    const o = slowOpen();
    const jobs = createSoapJobs({ open: o.open });
    const req = (frame: number) => ({ sources: [file(1000)], frame, species: ['Cu', 'Cu', 'Cu'], centres: null,
      params: { rCut: 3, nMax: 2, lMax: 2, species: ['Cu'], layout: 'filled' as const } });
    const a = jobs.soapSourceFrame(1, req(0)), b = jobs.soapSourceFrame(2, req(1));
    o.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.ok && rb.ok).toBe(true);
    expect(o.opens()).toBe(1);
  });

  it('lensChunk: two concurrent jobs, one open', async () => {
    const o = slowOpen();
    const jobs = createLensJobs({ open: o.open });
    const req = (first: number) => ({ sources: [file(1000)], first, count: 1, params: { cutoff: 3, delay: 1 } });
    const a = jobs.lensChunk(1, req(1)), b = jobs.lensChunk(2, req(2));
    o.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.ok && rb.ok).toBe(true);
    expect(o.opens()).toBe(1);
  });

  it('a job whose shared opening was cancelled by the job that started it opens again', async () => {
    let opens = 0;
    const jobs = createSoapJobs({
      open: async (_s, opt) => {
        opens++;
        if (opens === 1) {
          await new Promise<void>((_r, rej) => opt!.signal!.addEventListener('abort', () => rej(new Error('open cancelled'))));
        }
        return tinySource();
      },
    });
    const req = (frame: number) => ({ sources: [file(1000)], frame, species: ['Cu', 'Cu', 'Cu'], centres: null,
      params: { rCut: 3, nMax: 2, lMax: 2, species: ['Cu'], layout: 'filled' as const } });
    const a = jobs.soapSourceFrame(1, req(0)), b = jobs.soapSourceFrame(2, req(1));
    await new Promise((r) => setTimeout(r, 0));
    jobs.cancelSoap(1);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.ok).toBe(false);
    expect(rb.ok).toBe(true);
    expect(opens).toBe(2);
  });
});
