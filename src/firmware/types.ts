/** Types of the firmware build and simulation API. */

/** Options of `buildFirmware`. */
export interface BuildOptions {
  /** Target name (a key of BUILD_TARGETS: host, msp430, msp430-sim). */
  readonly target: string;
  /** Toolchain; defaults to the target's first. host: gcc | clang. */
  readonly toolchain?: string;
  /** Host builds: AddressSanitizer + UBSan (tests). */
  readonly sanitize?: boolean;
  /**
   * Host builds: preprocessor definitions NAME=VALUE added to every compile (e.g. `INAS_PROGRESS_CRC=0`, the
   * unprotected variant of fault campaigns; `INAS_BOOT_WEIGHTS_CRC=1`); they name the default build folder.
   */
  readonly defines?: readonly string[];
  /** Build folder (default `<dumpDir>/build/<target>[-san]`). */
  readonly buildDir?: string;
  /** Environment the toolchain is looked up in (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Code/data sizes of a built image (bytes). */
export interface SizeReport {
  readonly text_bytes: number;
  readonly data_bytes: number;
  readonly bss_bytes: number;
}

/** What a build produced. */
export interface BuildResult {
  readonly target: string;
  readonly toolchain: string;
  /** The built executable / ELF. */
  readonly binary: string;
  readonly size: SizeReport | null;
  /** Limits the size was checked against (null: host). */
  readonly limits: { readonly code_bytes: number; readonly data_bytes: number } | null;
  /** True when an up-to-date binary was reused. */
  readonly cached: boolean;
  readonly elapsed_ms: number;
  /** The compiler command line (for the record). */
  readonly command: readonly string[];
}
