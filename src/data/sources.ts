/**
 * Official download locations and checksums of each distribution.
 * - CIFAR-10 binary: the dataset page (www.cs.toronto.edu/~kriz/cifar.html) publishes the MD5.
 * - MNIST: the original host (yann.lecun.com) no longer serves the files reliably; we use Google's public copy of
 *   the identical files (the one TensorFlow's loader uses), checked against the well-known MD5s of the originals.
 * - Fashion-MNIST: Zalando's official S3 bucket, MD5s as published in the fashion-mnist README.
 * - Speech Commands v0.02: download.tensorflow.org, SHA-256 of the archive as used by common loaders.
 * - UCI HAR: the UCI repository publishes no checksum; the SHA-256 of what was downloaded is recorded in
 *   `<folder>/.inas-fetch.json` and printed, so later fetches can be compared.
 */
import type { FetchName } from './paths.ts';

/** A checksum of a downloaded file. */
export interface Checksum {
  readonly algorithm: 'md5' | 'sha256';
  readonly hex: string;
}

/** One file to download. */
export interface Resource {
  readonly url: string;
  /** File name in the downloads folder (and in a mirror). */
  readonly file: string;
  readonly checksum: Checksum | null;
  /** What to do once verified: extract an archive, or keep the file as is. */
  readonly unpack: 'tar' | 'zip' | 'keep';
}

const idx = (base: string, md5: readonly [string, string, string, string]): Resource[] =>
  ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((file, i) => ({
    url: `${base}${file}`, file, checksum: { algorithm: 'md5', hex: md5[i] ?? '' }, unpack: 'keep',
  }));

/** The official resources of each distribution. */
export const SOURCES: Record<FetchName, readonly Resource[]> = {
  cifar10: [{
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', file: 'cifar-10-binary.tar.gz',
    checksum: { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' }, unpack: 'tar',
  }],
  har: [{
    url: 'https://archive.ics.uci.edu/static/public/240/human+activity+recognition+using+smartphones.zip',
    file: 'human+activity+recognition+using+smartphones.zip', checksum: null, unpack: 'zip',
  }],
  'speech-commands': [{
    url: 'https://storage.googleapis.com/download.tensorflow.org/data/speech_commands_v0.02.tar.gz', file: 'speech_commands_v0.02.tar.gz',
    checksum: { algorithm: 'sha256', hex: 'af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58' }, unpack: 'tar',
  }],
  mnist: idx('https://storage.googleapis.com/cvdf-datasets/mnist/', [
    'f68b3c2dcbeaaa9fbdd348bbdeb94873', 'd53e105ee54ea40749a09fcbcd1e9432', '9fb629c4189551a2d022fa330f9573f3', 'ec29112dd5afa0611ce80d1b7f02629c',
  ]),
  'fashion-mnist': idx('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/', [
    '8d4fb7e6c68d591d4c3dfef9ec88bf0d', '25c81989df183df01b3e8a0aad5dffbe', 'bef4ecab320f06d8554ea6380940ec79', 'bb300cfdad3c16e7a12a480ee83cd310',
  ]),
};

/** Resolves the URLs of a distribution against a mirror base URL (`<mirror>/<file>`), if any. */
export function resolveSources(name: FetchName, mirror: string | undefined): Resource[] {
  return SOURCES[name].map((r) => (mirror ? { ...r, url: `${mirror.replace(/\/+$/, '')}/${r.file}` } : r));
}
