function New-VmmCopyEngine {
    <#
    .SYNOPSIS
        Returns a new copy engine of the library store: the per-file work of a library backup or restore (copy
        with SHA-256, change detection, rename into place, journal) run in compiled code on several threads.
    .DESCRIPTION
        The engine is C# compiled once per session with Add-Type (C# 5 and .NET Framework 4.6.2 APIs only, so it
        compiles on Windows PowerShell 5.1 as on PowerShell 7). Its type name carries a hash of its source, so a
        newer module in the same session never meets an older compiled engine.

        Backup engine (-Kind Backup): AddKnown (entries of the previous complete set), LoadJournal (records of an
        interrupted run of the same set), OpenJournal, Add (one listed file), then Start and Wait. Each file is
        skipped when the previous set or the journal already holds it (same size and time, or same size and
        SHA-256) and its object is present; otherwise it is copied to objects/tmp under a new name while its
        SHA-256 is computed, checked against its size and time before and after (a file that changed while it
        was copied is copied once more, then recorded as Failed), and renamed to objects/<xx>/<sha256>. Each
        file that cost a copy or a hash is appended to the journal (one JSON object per line).

        Restore engine (-Kind Restore): Add (object, target, SHA-256, length, time), Start and Wait. Each file is
        left alone when the target already holds the same bytes, refused when it differs (unless -Force), or
        copied to a temporary name in the target folder, checked against its SHA-256, given its time and renamed
        into place.

        Both run on Workers threads (default: the number of processors, at least 2 and at most 4), stop taking new files after
        a destination write failure (Fatal) or Cancel, report BytesDone and FilesDone for one progress bar, and
        queue every item the caller must report (TryTakeFinished: a file that failed or differs) so that errors are
        reported while the work goes on (Wait-VmmCopyEngine).
    .PARAMETER Kind
        Backup or Restore.
    .PARAMETER ObjectsRoot
        Backup: the objects folder of the destination.
    .PARAMETER TemporaryRoot
        Backup: the folder for copies in progress (objects/tmp).
    .PARAMETER IgnoreCase
        Backup: file paths compare without case (Windows).
    .PARAMETER Force
        Restore: overwrite target files that differ from the backup.
    .EXAMPLE
        $engine = New-VmmCopyEngine -Kind Backup -ObjectsRoot $objects -TemporaryRoot $tmp -IgnoreCase:$onWindows
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('Backup', 'Restore')]
        [string] $Kind,

        [string] $ObjectsRoot,

        [string] $TemporaryRoot,

        [switch] $IgnoreCase,

        [switch] $Force
    )

    if ($null -eq $script:VmmCopyEngineNamespace) {
        $source = @'
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace VMM_ENGINE_NAMESPACE
{
    /// <summary>Shared pieces: hashing, streaming copy with SHA-256, JSON strings, atomic rename.</summary>
    public static class Store
    {
        public const int BlockSize = 1048576;
        public const long EpochTicks = 621355968000000000L;
        private static int useCng = -1;

        public static HashAlgorithm NewSha256()
        {
            // .NET Framework's SHA256.Create() is the slow managed implementation; SHA256Cng is Windows' own.
            if (useCng != 0 && typeof(object).Assembly.GetName().Name == "mscorlib" && Environment.OSVersion.Platform == PlatformID.Win32NT)
            {
                try
                {
                    Type cng = Type.GetType("System.Security.Cryptography.SHA256Cng, System.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089", false);
                    if (cng != null)
                    {
                        HashAlgorithm algorithm = (HashAlgorithm)Activator.CreateInstance(cng);
                        useCng = 1;
                        return algorithm;
                    }
                }
                catch (Exception)
                {
                }
                useCng = 0;
            }
            return SHA256.Create();
        }

        public static string Hex(byte[] bytes)
        {
            char[] chars = new char[bytes.Length * 2];
            const string digits = "0123456789abcdef";
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 15];
            }
            return new string(chars);
        }

        /// <summary>Unix milliseconds of a UTC time, rounded down (the manifest's Modified).</summary>
        public static long UnixMilliseconds(DateTime utc)
        {
            long ticks = utc.Ticks - EpochTicks;
            long ms = ticks / 10000;
            if (ticks < 0 && ticks % 10000 != 0) { ms--; }
            return ms;
        }

        public static string JsonString(string value)
        {
            if (value == null) { value = string.Empty; }
            StringBuilder builder = new StringBuilder(value.Length + 2);
            builder.Append('"');
            foreach (char c in value)
            {
                if (c == '"') { builder.Append("\\\""); }
                else if (c == '\\') { builder.Append("\\\\"); }
                else if (c < 0x20 || c == '\u2028' || c == '\u2029') { builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); }
                else { builder.Append(c); }
            }
            builder.Append('"');
            return builder.ToString();
        }

        /// <summary>The SHA-256 of a file, read in blocks with the given buffer.</summary>
        public static string HashFile(string path, byte[] buffer, HashAlgorithm sha)
        {
            sha.Initialize();
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan))
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    sha.TransformBlock(buffer, 0, read, null, 0);
                }
            }
            sha.TransformFinalBlock(buffer, 0, 0);
            return Hex(sha.Hash);
        }

        /// <summary>
        /// Copies source to a new file destination (CreateNew) while hashing. Large files are written by a second
        /// thread while the next block is read and hashed. On failure the partial destination is removed and
        /// a CopyException says which side failed.
        /// </summary>
        public static long CopyWithHash(string source, string destination, byte[][] buffers, HashAlgorithm sha, ref long progress, Func<bool> cancelled, out string hash)
        {
            sha.Initialize();
            FileStream reader = null;
            FileStream writer = null;
            bool created = false;
            bool sourceSide = true;
            long length = 0;
            Task pending = null;
            try
            {
                reader = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
                sourceSide = false;
                writer = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096);
                created = true;
                int index = 0;
                while (true)
                {
                    byte[] buffer = buffers[index];
                    sourceSide = true;
                    int read = reader.Read(buffer, 0, buffer.Length);
                    sourceSide = false;
                    if (pending != null)
                    {
                        pending.Wait();
                        pending = null;
                    }
                    if (read <= 0) { break; }
                    if (cancelled != null && cancelled()) { throw new OperationCanceledException("The copy was cancelled."); }
                    if (length == 0 && read < buffer.Length)
                    {
                        // A file of one block: no second thread.
                        sha.TransformBlock(buffer, 0, read, null, 0);
                        writer.Write(buffer, 0, read);
                    }
                    else
                    {
                        FileStream target = writer;
                        int count = read;
                        pending = Task.Factory.StartNew(() => target.Write(buffer, 0, count), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
                        sha.TransformBlock(buffer, 0, read, null, 0);
                        index = 1 - index;
                    }
                    length += read;
                    Interlocked.Add(ref progress, read);
                }
                writer.Dispose();
                writer = null;
                sha.TransformFinalBlock(buffers[0], 0, 0);
                hash = Hex(sha.Hash);
                return length;
            }
            catch (Exception error)
            {
                if (pending != null)
                {
                    try { pending.Wait(); } catch (Exception) { }
                }
                Exception inner = error;
                AggregateException aggregate = error as AggregateException;
                if (aggregate != null && aggregate.InnerExceptions.Count == 1) { inner = aggregate.InnerExceptions[0]; }
                if (writer != null)
                {
                    try { writer.Dispose(); } catch (Exception) { }
                    writer = null;
                }
                if (created)
                {
                    try { if (File.Exists(destination)) { File.Delete(destination); } } catch (Exception) { }
                }
                if (inner is OperationCanceledException) { throw inner; }
                if (sourceSide) { throw new CopyException(true, "Cannot read '" + source + "': " + inner.Message, inner); }
                throw new CopyException(false, "Cannot write '" + destination + "': " + inner.Message, inner);
            }
            finally
            {
                if (writer != null) { writer.Dispose(); }
                if (reader != null) { reader.Dispose(); }
            }
        }

        /// <summary>Renames a completed temporary file to its final name, replacing an existing file in one step.</summary>
        public static void MoveAtomic(string path, string destination)
        {
            if (File.Exists(destination))
            {
                File.Replace(path, destination, null);
            }
            else
            {
                File.Move(path, destination);
            }
        }

        public static int DefaultWorkers()
        {
            // At least two: one worker's disk or network wait is the other's time to hash.
            int count = Environment.ProcessorCount;
            if (count < 2) { count = 2; }
            if (count > 4) { count = 4; }
            return count;
        }
    }

    public sealed class CopyException : IOException
    {
        public CopyException(bool sourceSide, string message, Exception inner) : base(message, inner)
        {
            SourceSide = sourceSide;
        }

        public bool SourceSide { get; private set; }
    }

    /// <summary>One line of a backup journal, or one file of the previous set.</summary>
    public sealed class KnownFile
    {
        public long Length;
        public long Modified;
        public string Sha256;
    }

    /// <summary>One file of a backup: its manifest entry once done (Share, Path, Length, Modified, Sha256).</summary>
    public sealed class BackupItem
    {
        public int Share { get; set; }
        public string Path { get; set; }
        public long Length { get; set; }
        public long Modified { get; set; }
        public string Sha256 { get; set; }
        /// <summary>Copied, Skipped, Resumed or Failed (Pending before it is done).</summary>
        public string Status { get; set; }
        /// <summary>SourceRead, SourceChanged or DestinationWrite when Failed.</summary>
        public string ErrorKind { get; set; }
        public string Error { get; set; }
        public string FullPath { get; set; }
        public int Attempts { get; set; }
        internal string Key;
    }

    /// <summary>Shared worker loop of the backup and restore engines.</summary>
    public abstract class EngineBase
    {
        protected long bytesDone;
        protected int filesDone;
        private int next = -1;
        private int running;
        private volatile bool cancelled;
        private ManualResetEvent done = new ManualResetEvent(false);
        private readonly ConcurrentQueue<object> finished = new ConcurrentQueue<object>();
        private string fatal;

        public long BytesDone { get { return Interlocked.Read(ref bytesDone); } }
        public int FilesDone { get { return filesDone; } }
        public long TotalBytes { get; protected set; }
        public int Workers { get; private set; }
        /// <summary>A pause after each file, in milliseconds (0 by default): leaves the disks to other work, and lets a
        /// test interrupt a run in the middle.</summary>
        public int FileDelayMilliseconds { get; set; }
        public bool Cancelled { get { return cancelled; } }
        /// <summary>The destination write failure that stopped the run, or null.</summary>
        public string Fatal { get { return fatal; } }

        protected abstract int Count { get; }
        /// <summary>Does one item and returns it (null when cancelled).</summary>
        protected abstract object Process(int index, WorkerState state);

        /// <summary>Whether the caller must report the item (TryTakeFinished): a failure other than the fatal one.</summary>
        protected abstract bool Reportable(object item);

        public void Cancel() { cancelled = true; }

        public bool TryTakeFinished(out object item) { return finished.TryDequeue(out item); }

        protected void SetFatal(string message)
        {
            Interlocked.CompareExchange(ref fatal, message, null);
            cancelled = true;
        }

        /// <summary>Starts the workers and returns at once; Wait tells when all are done.</summary>
        public void Start(int workers)
        {
            if (workers < 1) { workers = Store.DefaultWorkers(); }
            if (workers > Count) { workers = Math.Max(1, Count); }
            Workers = workers;
            running = workers;
            for (int i = 0; i < workers; i++)
            {
                Thread thread = new Thread(Work);
                thread.IsBackground = true;
                thread.Name = "VmmBackup copy " + i.ToString(CultureInfo.InvariantCulture);
                thread.Start();
            }
        }

        public bool Wait(int milliseconds) { return done.WaitOne(milliseconds); }

        private void Work()
        {
            WorkerState state = new WorkerState();
            try
            {
                while (!cancelled)
                {
                    int index = Interlocked.Increment(ref next);
                    if (index >= Count) { break; }
                    object item = null;
                    try
                    {
                        item = Process(index, state);
                    }
                    catch (Exception error)
                    {
                        SetFatal(error.Message);
                    }
                    Interlocked.Increment(ref filesDone);
                    if (item != null && Reportable(item)) { finished.Enqueue(item); }
                    if (FileDelayMilliseconds > 0) { Thread.Sleep(FileDelayMilliseconds); }
                }
            }
            finally
            {
                state.Dispose();
                if (Interlocked.Decrement(ref running) == 0) { done.Set(); }
            }
        }

        protected bool IsCancelled() { return cancelled; }
    }

    public sealed class WorkerState : IDisposable
    {
        public readonly byte[][] Buffers = new byte[][] { new byte[Store.BlockSize], new byte[Store.BlockSize] };
        public readonly HashAlgorithm Sha = Store.NewSha256();
        public void Dispose() { Sha.Dispose(); }
    }

    public sealed class BackupEngine : EngineBase
    {
        private readonly string objectsRoot;
        private readonly string temporaryRoot;
        private readonly Dictionary<string, KnownFile> known;
        private readonly Dictionary<string, KnownFile> resumed;
        private readonly List<BackupItem> items = new List<BackupItem>();
        private readonly object journalLock = new object();
        private readonly object moveLock = new object();
        private readonly ConcurrentDictionary<string, bool> folders = new ConcurrentDictionary<string, bool>();
        private StreamWriter journal;
        private int copied;
        private int skipped;
        private int resumedCount;

        public BackupEngine(string objectsRoot, string temporaryRoot, bool ignoreCase)
        {
            this.objectsRoot = objectsRoot;
            this.temporaryRoot = temporaryRoot;
            StringComparer comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            known = new Dictionary<string, KnownFile>(comparer);
            resumed = new Dictionary<string, KnownFile>(comparer);
        }

        public int Copied { get { return copied; } }
        public int Skipped { get { return skipped; } }
        public int Resumed { get { return resumedCount; } }
        public int KnownCount { get { return known.Count; } }
        public int ResumedRecords { get { return resumed.Count; } }
        public int DamagedJournalLines { get; private set; }
        /// <summary>How often a file found changed after its copy is copied again before it is Failed.</summary>
        public int ChangeRetries { get; set; }

        protected override int Count { get { return items.Count; } }

        public void AddKnown(string shareKey, string path, long length, long modified, string sha256)
        {
            KnownFile file = new KnownFile();
            file.Length = length;
            file.Modified = modified;
            file.Sha256 = sha256;
            known[shareKey + "\n" + path] = file;
        }

        public BackupItem Add(int share, string shareKey, string path, string fullPath, long length, long modified)
        {
            BackupItem item = new BackupItem();
            item.Share = share;
            item.Path = path;
            item.FullPath = fullPath;
            item.Length = length;
            item.Modified = modified;
            item.Status = "Pending";
            item.Key = shareKey + "\n" + path;
            items.Add(item);
            TotalBytes += length;
            return item;
        }

        /// <summary>Adds a listed file: its size and time as the listing read them.</summary>
        public BackupItem AddFile(int share, string shareKey, string path, FileInfo file)
        {
            return Add(share, shareKey, path, file.FullName, file.Length, Store.UnixMilliseconds(file.LastWriteTimeUtc));
        }

        /// <summary>Reads the complete lines of a journal (a damaged or partial line is skipped); returns the records taken.</summary>
        public int LoadJournal(string path)
        {
            if (!File.Exists(path)) { return 0; }
            string text = File.ReadAllText(path, Encoding.UTF8);
            int end = text.LastIndexOf('\n');
            if (end < 0) { return 0; }
            int taken = 0;
            foreach (string line in text.Substring(0, end).Split('\n'))
            {
                if (line.Length == 0) { continue; }
                Dictionary<string, object> record = FlatJson.Parse(line);
                object s, p, l, m, h;
                if (record == null || !record.TryGetValue("s", out s) || !record.TryGetValue("p", out p) || !record.TryGetValue("l", out l) || !record.TryGetValue("m", out m) || !record.TryGetValue("h", out h)
                    || !(s is string) || !(p is string) || !(l is long) || !(m is long) || !(h is string) || !IsSha256((string)h))
                {
                    DamagedJournalLines++;
                    continue;
                }
                KnownFile file = new KnownFile();
                file.Length = (long)l;
                file.Modified = (long)m;
                file.Sha256 = (string)h;
                resumed[(string)s + "\n" + (string)p] = file;
                taken++;
            }
            return taken;
        }

        public void OpenJournal(string path)
        {
            FileStream stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            journal = new StreamWriter(stream, new UTF8Encoding(false));
        }

        public void CloseJournal()
        {
            if (journal != null)
            {
                journal.Dispose();
                journal = null;
            }
        }

        /// <summary>The files in manifest order (share, then path, ordinal), Failed ones left out.</summary>
        public BackupItem[] GetEntries()
        {
            List<BackupItem> done = new List<BackupItem>();
            foreach (BackupItem item in items)
            {
                if (item.Status != "Failed" && item.Status != "Pending" && item.Sha256 != null) { done.Add(item); }
            }
            BackupItem[] result = done.ToArray();
            string[] keys = new string[result.Length];
            for (int i = 0; i < result.Length; i++) { keys[i] = result[i].Share.ToString("D4", CultureInfo.InvariantCulture) + "/" + result[i].Path; }
            Array.Sort(keys, result, StringComparer.Ordinal);
            return result;
        }

        public BackupItem[] GetFailed()
        {
            List<BackupItem> failed = new List<BackupItem>();
            foreach (BackupItem item in items) { if (item.Status == "Failed") { failed.Add(item); } }
            return failed.ToArray();
        }

        public static bool IsSha256(string value)
        {
            if (value == null || value.Length != 64) { return false; }
            foreach (char c in value)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) { return false; }
            }
            return true;
        }

        private string ObjectPath(string hash)
        {
            return System.IO.Path.Combine(System.IO.Path.Combine(objectsRoot, hash.Substring(0, 2)), hash);
        }

        private bool ObjectPresent(string hash, long length)
        {
            FileInfo stored = new FileInfo(ObjectPath(hash));
            return stored.Exists && stored.Length == length;
        }

        protected override bool Reportable(object item)
        {
            BackupItem done = (BackupItem)item;
            return done.Status == "Failed" && done.ErrorKind != "DestinationWrite";
        }

        protected override object Process(int index, WorkerState state)
        {
            BackupItem item = items[index];
            string hash = null;
            bool didWork = false;
            KnownFile record;
            if (resumed.TryGetValue(item.Key, out record) && record.Length == item.Length && record.Modified == item.Modified && ObjectPresent(record.Sha256, item.Length))
            {
                // A journal record is trusted only while the source still has the journaled content: a file
                // changed since the interrupted run, even one given back its old size and time, is copied again.
                // Reading the source costs less than copying it again.
                didWork = true;
                string current = null;
                try
                {
                    current = Store.HashFile(item.FullPath, state.Buffers[0], state.Sha);
                }
                catch (Exception)
                {
                }
                if (current == record.Sha256)
                {
                    hash = record.Sha256;
                    item.Status = "Resumed";
                    Interlocked.Increment(ref resumedCount);
                }
            }
            if (hash == null && known.TryGetValue(item.Key, out record) && record.Length == item.Length && ObjectPresent(record.Sha256, item.Length))
            {
                if (record.Modified == item.Modified)
                {
                    hash = record.Sha256;
                }
                else
                {
                    // Same size, new time: compare contents before copying.
                    didWork = true;
                    try
                    {
                        if (Store.HashFile(item.FullPath, state.Buffers[0], state.Sha) == record.Sha256) { hash = record.Sha256; }
                    }
                    catch (Exception)
                    {
                    }
                }
                if (hash != null)
                {
                    item.Status = "Skipped";
                    Interlocked.Increment(ref skipped);
                }
            }
            if (hash != null)
            {
                Interlocked.Add(ref bytesDone, item.Length);
            }
            else
            {
                hash = CopyToStore(item, state);
                if (hash == null) { return item; }
                item.Status = "Copied";
                Interlocked.Increment(ref copied);
                didWork = true;
            }
            item.Sha256 = hash;
            // The journal lets a re-run after an interruption skip what cost a copy or a hash; files unchanged
            // by size and time are decided again cheaply and are not journaled.
            if (didWork && journal != null)
            {
                string shareKey = item.Key.Substring(0, item.Key.Length - item.Path.Length - 1);
                string line = "{\"s\":" + Store.JsonString(shareKey) + ",\"p\":" + Store.JsonString(item.Path) + ",\"l\":" + item.Length.ToString(CultureInfo.InvariantCulture) + ",\"m\":" + item.Modified.ToString(CultureInfo.InvariantCulture) + ",\"h\":\"" + hash + "\"}\n";
                lock (journalLock)
                {
                    journal.Write(line);
                    journal.Flush();
                }
            }
            return item;
        }

        /// <summary>Copies one file into the store; returns its SHA-256, or null when it is Failed (reason in the item).</summary>
        private string CopyToStore(BackupItem item, WorkerState state)
        {
            int attempts = 1 + Math.Max(0, ChangeRetries);
            for (int attempt = 1; attempt <= attempts; attempt++)
            {
                item.Attempts = attempt;
                FileInfo before = new FileInfo(item.FullPath);
                long lengthBefore;
                DateTime timeBefore;
                try
                {
                    lengthBefore = before.Length;
                    timeBefore = before.LastWriteTimeUtc;
                }
                catch (Exception error)
                {
                    Fail(item, "SourceRead", "Cannot read '" + item.FullPath + "': " + error.Message);
                    return null;
                }
                string temporary = System.IO.Path.Combine(temporaryRoot, Guid.NewGuid().ToString("N") + ".tmp");
                string hash;
                long length;
                try
                {
                    length = Store.CopyWithHash(item.FullPath, temporary, state.Buffers, state.Sha, ref bytesDone, IsCancelled, out hash);
                }
                catch (CopyException error)
                {
                    if (error.SourceSide)
                    {
                        Fail(item, "SourceRead", error.Message);
                        return null;
                    }
                    item.Status = "Failed";
                    item.ErrorKind = "DestinationWrite";
                    item.Error = error.Message;
                    SetFatal(error.Message);
                    return null;
                }
                catch (OperationCanceledException)
                {
                    item.Status = "Pending";
                    return null;
                }
                FileInfo after = new FileInfo(item.FullPath);
                bool changed;
                try
                {
                    changed = !after.Exists || after.Length != lengthBefore || after.LastWriteTimeUtc != timeBefore || length != lengthBefore;
                }
                catch (Exception)
                {
                    changed = true;
                }
                if (changed)
                {
                    TryDelete(temporary);
                    Interlocked.Add(ref bytesDone, -length);
                    if (attempt < attempts) { continue; }
                    Interlocked.Add(ref bytesDone, item.Length);
                    Fail(item, "SourceChanged", "'" + item.FullPath + "' changed while it was copied (" + lengthBefore.ToString(CultureInfo.InvariantCulture) + " bytes before, " + length.ToString(CultureInfo.InvariantCulture) + " bytes read; its size or last write time differed after the copy), " + attempts.ToString(CultureInfo.InvariantCulture) + " time(s)");
                    return null;
                }
                item.Length = length;
                item.Modified = Store.UnixMilliseconds(timeBefore);
                try
                {
                    string objectPath = ObjectPath(hash);
                    string folder = System.IO.Path.GetDirectoryName(objectPath);
                    if (folders.TryAdd(folder, true)) { Directory.CreateDirectory(folder); }
                    lock (moveLock)
                    {
                        FileInfo existing = new FileInfo(objectPath);
                        if (existing.Exists && existing.Length == length)
                        {
                            File.Delete(temporary);
                        }
                        else
                        {
                            Store.MoveAtomic(temporary, objectPath);
                        }
                    }
                }
                catch (Exception error)
                {
                    TryDelete(temporary);
                    string message = "Cannot write the backup copy of '" + item.FullPath + "': " + error.Message;
                    item.Status = "Failed";
                    item.ErrorKind = "DestinationWrite";
                    item.Error = message;
                    SetFatal(message);
                    return null;
                }
                return hash;
            }
            return null;
        }

        private static void Fail(BackupItem item, string kind, string message)
        {
            item.Status = "Failed";
            item.ErrorKind = kind;
            item.Error = message;
        }

        private static void TryDelete(string path)
        {
            try { if (File.Exists(path)) { File.Delete(path); } } catch (Exception) { }
        }
    }

    /// <summary>One file of a restore.</summary>
    public sealed class RestoreItem
    {
        public object Entry { get; set; }
        public string Path { get; set; }
        public string ObjectPath { get; set; }
        public string Target { get; set; }
        public string Sha256 { get; set; }
        public long Length { get; set; }
        public long Modified { get; set; }
        /// <summary>Restored, Identical, Differs, Unreadable, HashMismatch, WriteFailed (Pending before).</summary>
        public string Status { get; set; }
        public string Error { get; set; }
    }

    public sealed class RestoreEngine : EngineBase
    {
        private readonly List<RestoreItem> items = new List<RestoreItem>();
        private readonly bool force;
        private int restored;
        private int identical;
        private int failed;
        private long bytes;

        public RestoreEngine(bool force) { this.force = force; }

        public int Restored { get { return restored; } }
        public int Identical { get { return identical; } }
        public int Failed { get { return failed; } }
        public long Bytes { get { return Interlocked.Read(ref bytes); } }

        protected override int Count { get { return items.Count; } }

        public RestoreItem Add(object entry, string path, string objectPath, string target, string sha256, long length, long modified)
        {
            RestoreItem item = new RestoreItem();
            item.Entry = entry;
            item.Path = path;
            item.ObjectPath = objectPath;
            item.Target = target;
            item.Sha256 = sha256;
            item.Length = length;
            item.Modified = modified;
            item.Status = "Pending";
            items.Add(item);
            TotalBytes += length;
            return item;
        }

        protected override bool Reportable(object item)
        {
            string status = ((RestoreItem)item).Status;
            return status == "Differs" || status == "Unreadable" || status == "HashMismatch";
        }

        protected override object Process(int index, WorkerState state)
        {
            RestoreItem item = items[index];
            FileInfo existing = new FileInfo(item.Target);
            if (existing.Exists)
            {
                bool same = false;
                if (existing.Length == item.Length)
                {
                    try { same = Store.HashFile(item.Target, state.Buffers[0], state.Sha) == item.Sha256; } catch (Exception) { same = false; }
                }
                if (same)
                {
                    item.Status = "Identical";
                    Interlocked.Increment(ref identical);
                    Interlocked.Add(ref bytes, item.Length);
                    Interlocked.Add(ref bytesDone, item.Length);
                    return item;
                }
                if (!force)
                {
                    item.Status = "Differs";
                    Interlocked.Increment(ref failed);
                    Interlocked.Add(ref bytesDone, item.Length);
                    return item;
                }
            }
            string folder = System.IO.Path.GetDirectoryName(item.Target);
            string temporary = System.IO.Path.Combine(folder, "." + Guid.NewGuid().ToString("N") + ".vmmrestore.tmp");
            string hash;
            long length;
            try
            {
                Directory.CreateDirectory(folder);
                length = Store.CopyWithHash(item.ObjectPath, temporary, state.Buffers, state.Sha, ref bytesDone, IsCancelled, out hash);
            }
            catch (CopyException error)
            {
                Interlocked.Increment(ref failed);
                item.Error = error.Message;
                if (error.SourceSide)
                {
                    item.Status = "Unreadable";
                    return item;
                }
                item.Status = "WriteFailed";
                SetFatal(error.Message);
                return item;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception error)
            {
                Interlocked.Increment(ref failed);
                item.Status = "WriteFailed";
                item.Error = "Cannot write '" + temporary + "': " + error.Message;
                SetFatal(item.Error);
                return item;
            }
            if (hash != item.Sha256 || length != item.Length)
            {
                try { File.Delete(temporary); } catch (Exception) { }
                Interlocked.Increment(ref failed);
                item.Status = "HashMismatch";
                return item;
            }
            try
            {
                File.SetLastWriteTimeUtc(temporary, new DateTime(Store.EpochTicks + item.Modified * 10000L, DateTimeKind.Utc));
                Store.MoveAtomic(temporary, item.Target);
            }
            catch (Exception error)
            {
                try { if (File.Exists(temporary)) { File.Delete(temporary); } } catch (Exception) { }
                Interlocked.Increment(ref failed);
                item.Status = "WriteFailed";
                item.Error = "Cannot write '" + item.Target + "': " + error.Message;
                SetFatal(item.Error);
                return item;
            }
            item.Status = "Restored";
            Interlocked.Increment(ref restored);
            Interlocked.Add(ref bytes, length);
            return item;
        }
    }

    /// <summary>A reader for one flat JSON object (string, integer, true, false and null values): journal lines.</summary>
    public static class FlatJson
    {
        public static Dictionary<string, object> Parse(string text)
        {
            try
            {
                int i = 0;
                Dictionary<string, object> result = new Dictionary<string, object>(StringComparer.Ordinal);
                SkipSpace(text, ref i);
                Expect(text, ref i, '{');
                SkipSpace(text, ref i);
                if (Peek(text, i) == '}') { i++; return End(text, i, result); }
                while (true)
                {
                    SkipSpace(text, ref i);
                    string name = ReadString(text, ref i);
                    SkipSpace(text, ref i);
                    Expect(text, ref i, ':');
                    SkipSpace(text, ref i);
                    result[name] = ReadValue(text, ref i);
                    SkipSpace(text, ref i);
                    char c = Peek(text, i);
                    i++;
                    if (c == ',') { continue; }
                    if (c == '}') { return End(text, i, result); }
                    return null;
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static Dictionary<string, object> End(string text, int i, Dictionary<string, object> result)
        {
            SkipSpace(text, ref i);
            return i == text.Length ? result : null;
        }

        private static char Peek(string text, int i) { return i < text.Length ? text[i] : '\0'; }

        private static void SkipSpace(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) { i++; }
        }

        private static void Expect(string text, ref int i, char c)
        {
            if (Peek(text, i) != c) { throw new FormatException(); }
            i++;
        }

        private static object ReadValue(string text, ref int i)
        {
            char c = Peek(text, i);
            if (c == '"') { return ReadString(text, ref i); }
            if (c == '-' || (c >= '0' && c <= '9'))
            {
                int start = i;
                i++;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9') { i++; }
                long value;
                if (!long.TryParse(text.Substring(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) { throw new FormatException(); }
                return value;
            }
            if (string.CompareOrdinal(text, i, "true", 0, 4) == 0) { i += 4; return true; }
            if (string.CompareOrdinal(text, i, "false", 0, 5) == 0) { i += 5; return false; }
            if (string.CompareOrdinal(text, i, "null", 0, 4) == 0) { i += 4; return null; }
            throw new FormatException();
        }

        private static string ReadString(string text, ref int i)
        {
            Expect(text, ref i, '"');
            StringBuilder builder = new StringBuilder();
            while (true)
            {
                if (i >= text.Length) { throw new FormatException(); }
                char c = text[i++];
                if (c == '"') { return builder.ToString(); }
                if (c != '\\') { builder.Append(c); continue; }
                if (i >= text.Length) { throw new FormatException(); }
                char e = text[i++];
                switch (e)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        int code;
                        if (i + 4 > text.Length || !int.TryParse(text.Substring(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code)) { throw new FormatException(); }
                        builder.Append((char)code);
                        i += 4;
                        break;
                    default: throw new FormatException();
                }
            }
        }
    }
}
'@
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try {
            $digest = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($source))
        } finally {
            $sha.Dispose()
        }
        $namespace = 'VmmBackup.Store.E' + ([System.BitConverter]::ToString($digest, 0, 8)).Replace('-', '')
        if ($null -eq ($namespace + '.Store' -as [type])) {
            Add-Type -TypeDefinition $source.Replace('VMM_ENGINE_NAMESPACE', $namespace) -Language CSharp -ErrorAction Stop
        }
        $script:VmmCopyEngineNamespace = $namespace
    }

    if ($Kind -eq 'Backup') {
        New-Object -TypeName ($script:VmmCopyEngineNamespace + '.BackupEngine') -ArgumentList $ObjectsRoot, $TemporaryRoot, ([bool]$IgnoreCase)
    } else {
        New-Object -TypeName ($script:VmmCopyEngineNamespace + '.RestoreEngine') -ArgumentList ([bool]$Force)
    }
}
