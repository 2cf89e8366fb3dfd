import type { Cmdlet } from '../types';
import { s } from '../schema';
import { vmmServerParameter, when } from './common';
import { fanOutDescription, fanOutExamples, fanOutParameters, withComputerName } from './fan-out';

export const backupVmmLibraryShare: Cmdlet = {
  name: 'Backup-VmmLibraryShare',
  synopsis: 'Copies every file on the VMM library shares to a backup share, incrementally, with a SHA-256 manifest.',
  description: [
    'Backs up all files on the library shares (the specification names .vhd, .vhdx, .iso, .inf, .vmx, .ps1, .vmc and .vsv among them) to a folder on a remote file server. The shares come from Get-SCLibraryShare (every share of every library server VMM manages), or from -Path.',
    'The copy is incremental (size and time, then hash), streams files with flat memory, writes each file under a temporary name and renames it only when complete, and records a manifest with the SHA-256 of every file. An interrupted run resumes where it stopped, and a set is reported Good only once its manifest is complete.',
    'Layout of the destination: objects\\<2 hex digits>\\<sha256> holds each distinct file content once, written under objects\\tmp and renamed when complete; sets\\<yyyyMMdd_HHmmss>\\manifest.json lists one backup set (share, relative path, length, time and SHA-256 of every file, and a digest of the whole list). The manifest is written last, under a temporary name then renamed: that rename commits the set. A running or interrupted set holds only journal.jsonl (the files done so far), which the next run resumes from. Earlier sets and their files are never written again, so a new run, even one killed at any point, cannot damage the last complete set.',
    'The manifest is forced to disk before it is renamed; the stored files are not forced one by one (that costs a disk flush per file). A process killed at any point leaves only unreferenced temporary files, removed by the next run; after a power failure, run Test-VmmBackup, which checks every stored file against its SHA-256, and a later backup reuses a stored file only when its size matches.',
    'Retention (-KeepSets N): only after a Good run (every file read, at least one file from every share), under the same lock. Only good sets count towards N: complete, with a manifest that reads and checks, at least one file from every share they cover, no file that could not be read, an end time not in the future, every stored file present at its size, and not under half of the files nor under half of the bytes of the good set before it (an empty share, an unmounted volume or a share that lost most of its files looks like that). The sets older than the oldest of the newest N good sets are removed, then the stored files no remaining set references; while fewer than N good sets exist nothing is removed, and a kept set that does not count is named in a warning with the reason. If the library really shrank by more than half, the older, larger sets stay until you remove them yourself. The set just written is never removed. An unfinished set (journal only) is never removed and every file its journal names is kept, since a later run resumes it. A set whose manifest is damaged is not removed and is reported with a warning; as the files it refers to are unknown, no stored file is removed while it is there. Order, safe against a process killed at any point: a set is first renamed in one step to sets\\<name>.removing (no longer listed, so it never looks complete with files missing, nor unfinished), then deleted; only then are stored files swept, each only when no listed set names it. A kill leaves at most a .removing folder and unreferenced files, which the next run with -KeepSets removes. Backup sets of Invoke-VmmBackup that used a removed library set then report that library set as missing.',
    ...fanOutDescription('-Destination is split per server: each server writes <Destination>\\<server> (Restore-VmmLibraryShare and Test-VmmBackup with the same servers read the same folders). -Path names the shares as each server sees them on its own disk; with -Session or -ComputerName, -Path is required.'),
    'Files that cannot be read (for example a disk that a running virtual machine holds open for writing: back those up with a VSS-aware application, as the specification says) are reported as errors and listed in the manifest as failed; Test-VmmBackup reports such a set as Corrupt. A destination that cannot be written stops the run (run it again to resume). Only one backup at a time may write to a destination.',
    'A share that gives no file at all (empty, a volume that is not mounted, or an -Extension filter that matches none of its files) is reported with a warning, the run returns State Missing, the set is not Good for Test-VmmBackup, and no older set is removed. The destination must not overlap a share, compared by real location (links, junctions and mount points resolved), and the folders the backup writes in (objects, sets) must not be links.',
  ],
  parameters: [
    { name: 'Path', type: 'string[]', help: 'Library share paths to back up. When omitted, every share VMM lists is taken.' },
    { name: 'Destination', type: 'string', mandatory: true, position: 0, help: 'Folder on the backup file server that receives the backup sets.', validate: { notNullOrEmpty: true } },
    { name: 'Extension', type: 'string[]', help: 'Take only files with these extensions: vhdx, .vhdx and *.vhdx all mean files ending in .vhdx (case does not matter). A filter that matches no file of a share is reported with a warning. All files by default.' },
    {
      name: 'KeepSets',
      type: 'int',
      help: 'Keep the newest this many good backup sets: after a Good run, remove the sets older than them and the stored files no kept or unfinished set references. Only good sets count: complete, verified (manifest digest, every stored file present at its size), with files from every share, nothing unreadable, and at least half the files and half the bytes of the good set before. Nothing is removed when omitted. With -WhatIf, shows what would be removed.',
      validate: { range: [1, 3650] },
    },
    vmmServerParameter,
    ...fanOutParameters,
  ],
  defaultParameterSet: 'Local',
  examples: [
    { code: 'Backup-VmmLibraryShare -Destination \\\\backup01\\vmm-library', remarks: 'Backs up every library share VMM knows to the backup server.' },
    { code: "Backup-VmmLibraryShare -Path '\\\\lib01\\MSSCVMMLibrary' -Destination E:\\LibraryBackup -Extension .vhdx,.iso", remarks: 'Backs up only disks and ISO images of one share.' },
    { code: 'Backup-VmmLibraryShare -Destination \\\\backup01\\vmm-library -KeepSets 14', remarks: 'Backs up the shares, then keeps only the 14 newest complete sets and removes the stored files no kept set needs (Pruned and FreedBytes say how many sets and bytes).' },
    { code: 'Backup-VmmLibraryShare -Destination \\\\backup01\\vmm-library -KeepSets 7 -WhatIf', remarks: 'Shows which sets and how many stored files the retention would remove; removes and copies nothing.' },
    ...fanOutExamples('Backup-VmmLibraryShare', "-Path 'D:\\MSSCVMMLibrary' -Destination \\\\backup01\\vmm-library"),
    { code: 'Backup-VmmLibraryShare -Destination \\\\backup01\\vmm-library; Test-VmmBackup -Path \\\\backup01\\vmm-library', remarks: 'Backs up the shares, then verifies every file of the new set against its SHA-256.' },
  ],
  shouldProcess: { impact: 'Low' },
  output: {
    typeName: 'VmmBackup.LibraryBackup',
    description: 'One object per run: the backup set and what was copied.',
    schema: withComputerName(s.object({
      Destination: s.string('The destination folder.'),
      SetPath: s.string('The backup set folder written.'),
      ManifestPath: s.string('The manifest of the set.'),
      State: s.enum(['Good', 'Missing', 'Corrupt'] as const, 'Good: every file read and every share gave files; Missing: a share gave no file (empty, unmounted, or the -Extension filter matched nothing); Corrupt: files or folders could not be read. Retention runs only after Good.'),
      Files: s.integer('Files in the set.', 0),
      Bytes: s.integer('Bytes in the set.', 0),
      Copied: s.integer('Files copied this run.', 0),
      Skipped: s.integer('Files unchanged since the last complete set (same size and time, or same content).', 0),
      Resumed: s.integer('Files already copied by an interrupted run of this set.', 0),
      Failed: s.integer('Files or folders that could not be read (listed in the manifest).', 0),
      Pruned: s.integer('Backup sets removed by -KeepSets (0 without it).', 0),
      FreedBytes: s.integer('Bytes freed by -KeepSets: removed sets and stored files (0 without it).', 0),
      StartTime: when.started,
      EndTime: when.finished,
    })),
  },
  status: 'implemented',
  errors: [],
  vmmCmdlets: ['Get-SCVMMServer', 'Get-SCLibraryShare'],
};
