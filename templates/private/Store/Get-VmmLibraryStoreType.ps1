function Get-VmmLibraryStoreType {
    <#
    .SYNOPSIS
        Returns the namespace of the library store's compiled code (compiled with Add-Type once per user and
        runtime, kept in local application data): the copy engines, the manifest reader and writer, the source
        listing and the object layout.
    .DESCRIPTION
        C# 5 and .NET Framework 4.6.2 APIs only, so it compiles on Windows PowerShell 5.1 as on PowerShell 7.
        The namespace carries a hash of the source, so a newer module in the same session never meets an older
        compiled store. Types: <namespace>.Store (object paths, hashing, JSON strings), .Manifest (read, check,
        digest and write manifest.json), .SourceListing (the files of the library shares), .BackupEngine and
        .RestoreEngine (see New-VmmCopyEngine).
    .EXAMPLE
        $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    if ($null -ne $script:VmmCopyEngineNamespace) { return $script:VmmCopyEngineNamespace }
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

        /// <summary>
        /// The first of a destination's own paths (.lock, objects, sets, objects/tmp, objects/&lt;xx&gt;) that is a
        /// link, junction or mount point, or null: a backup never writes or removes through a link it did not make.
        /// </summary>
        public static string FindLinkInStore(string destination)
        {
            string objects = System.IO.Path.Combine(destination, "objects");
            List<string> paths = new List<string>();
            paths.Add(System.IO.Path.Combine(destination, ".lock"));
            paths.Add(objects);
            paths.Add(System.IO.Path.Combine(destination, "sets"));
            foreach (string path in paths)
            {
                if (IsLink(path)) { return path; }
            }
            if (!Directory.Exists(objects)) { return null; }
            string temporary = System.IO.Path.Combine(objects, "tmp");
            if (IsLink(temporary)) { return temporary; }
            foreach (string folder in Directory.GetDirectories(objects))
            {
                if (IsLink(folder)) { return folder; }
            }
            return null;
        }

        private static bool IsLink(string path)
        {
            FileInfo info = new FileInfo(path);
            if ((int)info.Attributes == -1) { return false; }
            return (info.Attributes & FileAttributes.ReparsePoint) != 0;
        }

        /// <summary>
        /// Whether inner is below outer, as Test-VmmPathRelation -Relation Within decides it for file system paths:
        /// trailing separators ignored, a prefix counts only as whole components; on Windows case is ignored and
        /// both \\ and / separate, elsewhere the comparison is ordinal and / separates.
        /// </summary>
        public static bool IsWithin(string inner, string outer)
        {
            bool windows = System.IO.Path.DirectorySeparatorChar == '\\';
            StringComparison comparison = windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            char[] separators = windows ? new char[] { '\\', '/' } : new char[] { '/' };
            string a = TrimSeparators(inner, separators);
            string b = TrimSeparators(outer, separators);
            foreach (char separator in separators)
            {
                string prefix = b;
                if (!prefix.EndsWith(separator.ToString(), StringComparison.Ordinal)) { prefix += separator; }
                if (a.Length > prefix.Length && a.StartsWith(prefix, comparison)) { return true; }
            }
            return false;
        }

        private static string TrimSeparators(string value, char[] separators)
        {
            string trimmed = value.TrimEnd(separators);
            if (trimmed.Length == 0 || (trimmed.Length == 2 && trimmed[1] == ':' && ((trimmed[0] >= 'A' && trimmed[0] <= 'Z') || (trimmed[0] >= 'a' && trimmed[0] <= 'z')))) { return value; }
            return trimmed;
        }

        /// <summary>The stored object of a content: objects/&lt;first two hex digits&gt;/&lt;sha256&gt;.</summary>
        public static string ObjectPath(string objectsRoot, string sha256)
        {
            return System.IO.Path.Combine(System.IO.Path.Combine(objectsRoot, sha256.Substring(0, 2)), sha256);
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
        /// Copies source to a new file destination (CreateNew) while hashing. For a large file, each block is
        /// written by a second thread and the next one read by a third while this one hashes it. On failure the partial destination is removed and
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
            Task<int> ahead = null;
            try
            {
                reader = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
                sourceSide = false;
                writer = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096);
                created = true;
                int index = 0;
                sourceSide = true;
                int read = reader.Read(buffers[0], 0, buffers[0].Length);
                sourceSide = false;
                while (read > 0)
                {
                    if (cancelled != null && cancelled()) { throw new OperationCanceledException("The copy was cancelled."); }
                    byte[] buffer = buffers[index];
                    if (length == 0 && read < buffer.Length)
                    {
                        // A file of one block: no other thread.
                        sha.TransformBlock(buffer, 0, read, null, 0);
                        writer.Write(buffer, 0, read);
                        length += read;
                        Interlocked.Add(ref progress, read);
                        sourceSide = true;
                        read = reader.Read(buffer, 0, buffer.Length);
                        sourceSide = false;
                        continue;
                    }
                    // Block k is written (second thread) and hashed (this thread) while block k+1 is read (third
                    // thread) into the other buffer, whose write (block k-1) has finished: waited for here.
                    if (pending != null)
                    {
                        pending.Wait();
                        pending = null;
                    }
                    FileStream target = writer;
                    int count = read;
                    pending = Task.Factory.StartNew(() => target.Write(buffer, 0, count), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
                    int following = 1 - index;
                    byte[] nextBuffer = buffers[following];
                    FileStream input = reader;
                    ahead = Task.Factory.StartNew(() => input.Read(nextBuffer, 0, nextBuffer.Length), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
                    sha.TransformBlock(buffer, 0, read, null, 0);
                    length += read;
                    Interlocked.Add(ref progress, read);
                    sourceSide = true;
                    read = ahead.Result;
                    ahead = null;
                    sourceSide = false;
                    index = following;
                }
                if (pending != null)
                {
                    pending.Wait();
                    pending = null;
                }
                writer.Dispose();
                writer = null;
                sha.TransformFinalBlock(buffers[0], 0, 0);
                hash = Hex(sha.Hash);
                return length;
            }
            catch (Exception error)
            {
                if (ahead != null)
                {
                    try { ahead.Wait(); } catch (Exception) { }
                }
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

        /// <summary>Every file of a committed set (the base of this backup).</summary>
        public void AddKnownManifest(ManifestData manifest)
        {
            foreach (ManifestEntry file in manifest.Files)
            {
                AddKnown(manifest.Shares[file.Share], file.Path, file.Length, file.Modified, file.Sha256);
            }
        }

        /// <summary>Every file of a listing of the shares (share keys: the shares' paths, in listing order).</summary>
        public void AddListing(SourceListing listing, string[] shareKeys)
        {
            foreach (SourceFile file in listing.GetFiles())
            {
                AddFile(file.Share, shareKeys[file.Share], file.Path, file.File);
            }
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

        /// <summary>GetEntries as manifest entries.</summary>
        public ManifestEntry[] GetManifestEntries()
        {
            BackupItem[] done = GetEntries();
            ManifestEntry[] result = new ManifestEntry[done.Length];
            for (int i = 0; i < done.Length; i++) { result[i] = new ManifestEntry(done[i].Share, done[i].Path, done[i].Length, done[i].Modified, done[i].Sha256); }
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
            return Store.ObjectPath(objectsRoot, hash);
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
                    // Marked only once it exists: another worker moving into the same folder meanwhile creates it too.
                    if (!folders.ContainsKey(folder))
                    {
                        Directory.CreateDirectory(folder);
                        folders[folder] = true;
                    }
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

        /// <summary>Adds the files of a plan (RestorePlan.Build), in its order.</summary>
        public void AddPlan(RestorePlan plan)
        {
            foreach (RestoreItem item in plan.Items)
            {
                items.Add(item);
                TotalBytes += item.Length;
            }
        }

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

    /// <summary>
    /// What a restore of one share of a set will do, decided before anything is written: each file's stored object
    /// (present at its size), its place under the target (a valid name, within the target), and the links,
    /// junctions and mount points already on the way to it. Problems make the set unrestorable; links refuse the
    /// target. A file at its place that is itself a reparse point is listed in ReparseFiles: whether it is a link
    /// is asked of the file system provider by the caller (the same question Get-Item's Target answers).
    /// </summary>
    public sealed class RestorePlan
    {
        private readonly List<RestoreItem> items = new List<RestoreItem>();
        private readonly List<string> problems = new List<string>();
        private readonly List<string> links = new List<string>();
        private readonly List<RestoreItem> reparseFiles = new List<RestoreItem>();

        public List<RestoreItem> Items { get { return items; } }
        public List<string> Problems { get { return problems; } }
        public List<string> Links { get { return links; } }
        public List<RestoreItem> ReparseFiles { get { return reparseFiles; } }
        public long TotalBytes { get; private set; }

        /// <summary>Takes a file back out of the plan (its place is a link).</summary>
        public void Remove(RestoreItem item)
        {
            if (items.Remove(item)) { TotalBytes -= item.Length; }
        }

        public static RestorePlan Build(string objectsRoot, ManifestEntry[] files, int share, string target)
        {
            RestorePlan plan = new RestorePlan();
            char[] invalid = System.IO.Path.GetInvalidFileNameChars();
            string separator = System.IO.Path.DirectorySeparatorChar.ToString();
            // (HashSet is not in mscorlib on .NET Framework: Add-Type there references mscorlib only.)
            Dictionary<string, bool> checkedFolders = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (ManifestEntry file in files)
            {
                if (share >= 0 && file.Share != share) { continue; }
                string objectPath = Store.ObjectPath(objectsRoot, file.Sha256);
                FileInfo stored = new FileInfo(objectPath);
                if (!stored.Exists)
                {
                    plan.problems.Add("'" + file.Path + "' is missing from the backup store");
                    continue;
                }
                if (stored.Length != file.Length)
                {
                    plan.problems.Add("'" + file.Path + "' has " + stored.Length.ToString(CultureInfo.InvariantCulture) + " bytes in the backup store instead of " + file.Length.ToString(CultureInfo.InvariantCulture));
                    continue;
                }
                string[] segments = file.Path.Split('/');
                bool badSegment = false;
                foreach (string segment in segments)
                {
                    if (segment.IndexOfAny(invalid) >= 0) { badSegment = true; }
                }
                // .NET Framework's GetFullPath throws on a name it cannot take (a colon, a path longer than 260
                // characters) where .NET does not: such a file is a problem of the set, not a crash.
                string targetPath = null;
                string why = "is not a valid file name on this system";
                if (!badSegment)
                {
                    try
                    {
                        targetPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(target, string.Join(separator, segments)));
                    }
                    catch (Exception error)
                    {
                        why = "cannot be restored here (" + error.Message + ")";
                    }
                }
                if (targetPath == null || !Store.IsWithin(targetPath, target))
                {
                    plan.problems.Add("'" + file.Path + "' " + why);
                    continue;
                }
                bool reparseFile;
                string link = FindLinkInPath(target, targetPath, checkedFolders, out reparseFile);
                if (link != null)
                {
                    if (!plan.links.Contains(link)) { plan.links.Add(link); }
                    continue;
                }
                RestoreItem item = new RestoreItem();
                item.Entry = file;
                item.Path = file.Path;
                item.ObjectPath = objectPath;
                item.Target = targetPath;
                item.Sha256 = file.Sha256;
                item.Length = file.Length;
                item.Modified = file.Modified;
                item.Status = "Pending";
                plan.items.Add(item);
                plan.TotalBytes += file.Length;
                if (reparseFile) { plan.reparseFiles.Add(item); }
            }
            return plan;
        }

        /// <summary>
        /// The first folder on the way from root to path that is a link, junction or mount point, or null. Walks
        /// no further than what exists; folders found plain are remembered in checkedFolders. reparseFile: the file
        /// itself exists and is a reparse point (a link or not: the caller asks).
        /// </summary>
        private static string FindLinkInPath(string root, string path, Dictionary<string, bool> checkedFolders, out bool reparseFile)
        {
            reparseFile = false;
            string[] parts = path.Substring(root.Length).TrimStart('\\', '/').Split(new char[] { '\\', '/' }, StringSplitOptions.RemoveEmptyEntries);
            string current = root;
            for (int i = 0; i < parts.Length; i++)
            {
                current = System.IO.Path.Combine(current, parts[i]);
                bool isFile = i == parts.Length - 1;
                if (!isFile && checkedFolders.ContainsKey(current)) { continue; }
                int attributes = (int)new FileInfo(current).Attributes;
                if (attributes == -1) { return null; }
                if ((attributes & (int)FileAttributes.ReparsePoint) != 0)
                {
                    if (!isFile) { return current; }
                    reparseFile = true;
                }
                if (!isFile) { checkedFolders[current] = true; }
            }
            return null;
        }
    }

    /// <summary>A reader for one flat JSON object (string, integer, true, false and null values): journal lines.</summary>
    /// <summary>One file of a committed set (a manifest entry).</summary>
    public sealed class ManifestEntry
    {
        public ManifestEntry() { }
        public ManifestEntry(int share, string path, long length, long modified, string sha256)
        {
            Share = share;
            Path = path;
            Length = length;
            Modified = modified;
            Sha256 = sha256;
        }
        public int Share { get; set; }
        public string Path { get; set; }
        public long Length { get; set; }
        public long Modified { get; set; }
        public string Sha256 { get; set; }
    }

    /// <summary>A file or folder a set could not take (Share, Path, Error).</summary>
    public sealed class ManifestFailure
    {
        public ManifestFailure() { }
        public ManifestFailure(int share, string path, string error)
        {
            Share = share;
            Path = path;
            Error = error;
        }
        public int Share { get; set; }
        public string Path { get; set; }
        public string Error { get; set; }
    }

    /// <summary>A manifest as read and checked: every field, the entries, and the format it was written in.</summary>
    public sealed class ManifestData
    {
        public string Path { get; set; }
        /// <summary>The store format of the manifest (1 or 2 for earlier releases' manifests, see Manifest.Read).</summary>
        public int FormatVersion { get; set; }
        /// <summary>The same as FormatVersion (the name earlier releases gave it).</summary>
        public int Version { get { return FormatVersion; } }
        public string SetPath { get; set; }
        public string SetName { get; set; }
        public DateTime StartTime { get; set; }
        public DateTime EndTime { get; set; }
        public string[] Shares { get; set; }
        public string[] Extensions { get; set; }
        public ManifestEntry[] Files { get; set; }
        public ManifestFailure[] Failed { get; set; }
        public long TotalBytes { get; set; }
    }

    /// <summary>A manifest written by a newer module (a higher store format than this one reads).</summary>
    public sealed class NewerFormatException : NotSupportedException
    {
        public NewerFormatException(int formatVersion, int supported) : base("store format " + formatVersion.ToString(CultureInfo.InvariantCulture) + " is newer than " + supported.ToString(CultureInfo.InvariantCulture))
        {
            FormatVersion = formatVersion;
            Supported = supported;
        }
        public int FormatVersion { get; private set; }
        public int Supported { get; private set; }
    }

    /// <summary>
    /// manifest.json of a library set: the canonical digest, the writer (bytes fixed by the format) and the reader
    /// that checks every field before a set is used. A damaged manifest throws InvalidDataException (the reason).
    /// </summary>
    public static class Manifest
    {
        public const string FormatName = "VmmBackup.LibraryManifest";
        /// <summary>Not a safe relative path: empty, rooted, a drive, an empty, . or .. segment, or a NUL.</summary>
        public static bool IsUnsafePath(string path)
        {
            if (path.Length == 0 || path[0] == '/' || path[path.Length - 1] == '/' || path.IndexOf("//", StringComparison.Ordinal) >= 0 || path.IndexOf('\0') >= 0) { return true; }
            if (path.Length >= 2 && path[1] == ':' && ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'))) { return true; }
            int start = 0;
            while (start <= path.Length)
            {
                int end = path.IndexOf('/', start);
                if (end < 0) { end = path.Length; }
                int length = end - start;
                if ((length == 1 && path[start] == '.') || (length == 2 && path[start] == '.' && path[start + 1] == '.')) { return true; }
                start = end + 1;
            }
            return false;
        }

        /// <summary>A time as the digest writes it: UTC, 7 fraction digits (an unspecified kind is taken as UTC).</summary>
        public static string CanonicalTime(DateTime value)
        {
            DateTime utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
            return utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// SHA-256 (hex) of the canonical text (see Get-VmmBackupManifestDigest, the same text): with formatVersion
        /// 2 and later every field is inside it; format 1 covers shares, files and failures without reasons.
        /// </summary>
        public static string Digest(int formatVersion, string setName, DateTime startTime, DateTime endTime, string[] extensions, long fileCount, long totalBytes, string[] shares, IList<ManifestEntry> files, IList<ManifestFailure> failed)
        {
            StringBuilder builder = new StringBuilder(128 + files.Count * 120);
            bool full = formatVersion >= 2;
            if (full)
            {
                builder.Append("P\tEndTime\t").Append(CanonicalTime(endTime)).Append('\n');
                builder.Append("P\tExtensions\t").Append(string.Join("\u001f", extensions)).Append('\n');
                builder.Append("P\tFileCount\t").Append(fileCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
                builder.Append("P\tSetName\t").Append(setName).Append('\n');
                builder.Append("P\tStartTime\t").Append(CanonicalTime(startTime)).Append('\n');
                builder.Append("P\tTotalBytes\t").Append(totalBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
                builder.Append("P\tVersion\t").Append(formatVersion.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            foreach (string share in shares) { builder.Append("S\t").Append(share).Append('\n'); }
            foreach (ManifestEntry file in files)
            {
                builder.Append(file.Share.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(file.Path).Append('\t')
                    .Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(file.Modified.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(file.Sha256 == null ? string.Empty : file.Sha256.ToLowerInvariant()).Append('\n');
            }
            foreach (ManifestFailure failure in failed)
            {
                builder.Append("!\t").Append(failure.Share.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(failure.Path);
                if (full) { builder.Append('\t').Append(failure.Error); }
                builder.Append('\n');
            }
            byte[] bytes = new UTF8Encoding(false).GetBytes(builder.ToString());
            using (HashAlgorithm sha = Store.NewSha256())
            {
                return Store.Hex(sha.ComputeHash(bytes));
            }
        }

        /// <summary>The items as manifest entries when every one is one already (null otherwise).</summary>
        public static List<ManifestEntry> AsEntries(object[] items)
        {
            List<ManifestEntry> entries = new List<ManifestEntry>(items.Length);
            foreach (object item in items)
            {
                ManifestEntry entry = item as ManifestEntry;
                if (entry == null) { return null; }
                entries.Add(entry);
            }
            return entries;
        }

        /// <summary>The sum of the entries' lengths.</summary>
        public static long TotalLength(IList<ManifestEntry> files)
        {
            long total = 0;
            foreach (ManifestEntry file in files) { total += file.Length; }
            return total;
        }

        /// <summary>The bytes of a manifest (UTF-8 without BOM, LF), digest included.</summary>
        public static byte[] Format(int formatVersion, string setName, DateTime startTime, DateTime endTime, string[] shares, string[] extensions, IList<ManifestEntry> files, IList<ManifestFailure> failed)
        {
            long total = 0;
            foreach (ManifestEntry file in files) { total += file.Length; }
            string digest = Digest(formatVersion, setName, startTime, endTime, extensions, files.Count, total, shares, files, failed);
            StringBuilder b = new StringBuilder(512 + files.Count * 160);
            b.Append("{\n");
            b.Append("  \"Format\": \"").Append(FormatName).Append("\",\n");
            b.Append("  \"formatVersion\": ").Append(formatVersion.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            b.Append("  \"SetName\": ").Append(Store.JsonString(setName)).Append(",\n");
            b.Append("  \"StartTime\": \"").Append(startTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)).Append("\",\n");
            b.Append("  \"EndTime\": \"").Append(endTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)).Append("\",\n");
            b.Append("  \"Shares\": [");
            for (int i = 0; i < shares.Length; i++) { if (i > 0) { b.Append(", "); } b.Append(Store.JsonString(shares[i])); }
            b.Append("],\n");
            b.Append("  \"Extensions\": [");
            for (int i = 0; i < extensions.Length; i++) { if (i > 0) { b.Append(", "); } b.Append(Store.JsonString(extensions[i])); }
            b.Append("],\n");
            b.Append("  \"FileCount\": ").Append(files.Count.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            b.Append("  \"TotalBytes\": ").Append(total.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            b.Append("  \"Digest\": \"").Append(digest).Append("\",\n");
            b.Append("  \"Failed\": [");
            for (int i = 0; i < failed.Count; i++)
            {
                if (i > 0) { b.Append(','); }
                ManifestFailure f = failed[i];
                b.Append("\n    {\"Share\": ").Append(f.Share.ToString(CultureInfo.InvariantCulture)).Append(", \"Path\": ").Append(Store.JsonString(f.Path)).Append(", \"Error\": ").Append(Store.JsonString(f.Error)).Append('}');
            }
            if (failed.Count > 0) { b.Append("\n  "); }
            b.Append("],\n");
            b.Append("  \"Files\": [");
            for (int i = 0; i < files.Count; i++)
            {
                if (i > 0) { b.Append(','); }
                ManifestEntry f = files[i];
                b.Append("\n    {\"Share\": ").Append(f.Share.ToString(CultureInfo.InvariantCulture)).Append(", \"Path\": ").Append(Store.JsonString(f.Path))
                    .Append(", \"Length\": ").Append(f.Length.ToString(CultureInfo.InvariantCulture)).Append(", \"Modified\": ").Append(f.Modified.ToString(CultureInfo.InvariantCulture))
                    .Append(", \"Sha256\": \"").Append(f.Sha256 == null ? string.Empty : f.Sha256.ToLowerInvariant()).Append("\"}");
            }
            if (files.Count > 0) { b.Append("\n  "); }
            b.Append("]\n}\n");
            return new UTF8Encoding(false).GetBytes(b.ToString());
        }

        /// <summary>Writes a manifest under a temporary name, flushes it to disk and renames it into place (the commit).</summary>
        public static void Write(string path, int formatVersion, string setName, DateTime startTime, DateTime endTime, string[] shares, string[] extensions, IList<ManifestEntry> files, IList<ManifestFailure> failed)
        {
            byte[] bytes = Format(formatVersion, setName, startTime, endTime, shares, extensions, files, failed);
            string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (FileStream stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }
            Store.MoveAtomic(temporary, path);
        }

        private static Exception Corrupt(string why) { return new InvalidDataException(why); }

        private static object Field(Dictionary<string, object> map, string name)
        {
            object value;
            if (!map.TryGetValue(name, out value)) { throw Corrupt("the field " + name + " is missing"); }
            return value;
        }

        private static DateTime Time(object value)
        {
            DateTime parsed;
            if (!(value is string) || !DateTime.TryParse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out parsed)) { throw Corrupt("StartTime or EndTime is not a date"); }
            return parsed.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc) : parsed.ToUniversalTime();
        }

        private static string[] Strings(object value, string name)
        {
            List<object> list = value as List<object>;
            if (list == null) { throw Corrupt("the field " + name + " is not a list"); }
            string[] result = new string[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                if (!(list[i] is string)) { throw Corrupt("an item of " + name + " is not a string"); }
                result[i] = (string)list[i];
            }
            return result;
        }

        private static long Integer(object value, string what)
        {
            if (!(value is long)) { throw Corrupt(what); }
            return (long)value;
        }

        /// <summary>
        /// Reads and checks a manifest: its kind, its store format (a higher one than <paramref name="supported"/>
        /// throws NewerFormatException), every field and entry, and the digest. The format is formatVersion; the
        /// manifests of earlier releases carry a Version field (1 or 2) instead, or beside formatVersion 1, and
        /// Version then names the format.
        /// </summary>
        public static ManifestData Read(string path, int supported)
        {
            if (!File.Exists(path)) { throw Corrupt("the file does not exist"); }
            object parsed;
            try
            {
                string text = File.ReadAllText(path, Encoding.UTF8);
                parsed = FlatJson.ParseDocument(text);
            }
            catch (FormatException e)
            {
                throw Corrupt("it is not valid JSON (" + e.Message + ")");
            }
            Dictionary<string, object> map = parsed as Dictionary<string, object>;
            object format;
            if (map == null || !map.TryGetValue("Format", out format) || !(format is string) || (string)format != FormatName) { throw Corrupt("it is not a VmmBackup library manifest"); }
            int formatVersion = 1;
            object value;
            if (map.TryGetValue("formatVersion", out value))
            {
                if (!(value is long) || (long)value < 1 || (long)value > int.MaxValue) { throw Corrupt("its formatVersion '" + Convert.ToString(value, CultureInfo.InvariantCulture) + "' is not a positive integer"); }
                formatVersion = (int)(long)value;
                if (formatVersion > supported) { throw new NewerFormatException(formatVersion, supported); }
            }
            if (map.TryGetValue("Version", out value))
            {
                // Earlier releases: Version 1 or 2 names the fields and digest (formatVersion, when present, is 1).
                if (!(value is long) || ((long)value != 1 && (long)value != 2) || formatVersion > 1) { throw Corrupt("version " + Convert.ToString(value, CultureInfo.InvariantCulture) + " is not supported"); }
                formatVersion = (int)(long)value;
            }
            else if (!map.ContainsKey("formatVersion"))
            {
                throw Corrupt("the field Version is missing");
            }
            if (formatVersion > supported) { throw new NewerFormatException(formatVersion, supported); }
            object setNameValue = Field(map, "SetName");
            DateTime startTime = Time(Field(map, "StartTime"));
            DateTime endTime = Time(Field(map, "EndTime"));
            string[] shares = Strings(Field(map, "Shares"), "Shares");
            string[] extensions = Strings(Field(map, "Extensions"), "Extensions");
            object fileCountValue = Field(map, "FileCount");
            object totalValue = Field(map, "TotalBytes");
            object digestValue = Field(map, "Digest");
            List<object> failedList = Field(map, "Failed") as List<object>;
            List<object> fileList = Field(map, "Files") as List<object>;
            if (failedList == null || fileList == null) { throw Corrupt("Files or Failed is not a list"); }
            if (!(setNameValue is string)) { throw Corrupt("SetName is not a string"); }
            if (formatVersion >= 2 && startTime > endTime) { throw Corrupt("it starts (" + startTime.ToString("u", CultureInfo.InvariantCulture) + ") after it ends (" + endTime.ToString("u", CultureInfo.InvariantCulture) + ")"); }
            long fileCount = Integer(fileCountValue, "FileCount is not a number");
            if (fileList.Count != fileCount) { throw Corrupt("it lists " + fileList.Count.ToString(CultureInfo.InvariantCulture) + " files but FileCount says " + fileCount.ToString(CultureInfo.InvariantCulture)); }
            ManifestEntry[] files = new ManifestEntry[fileList.Count];
            long total = 0;
            for (int i = 0; i < files.Length; i++)
            {
                Dictionary<string, object> entry = fileList[i] as Dictionary<string, object>;
                object share, relative, length, modified, hash;
                if (entry == null || !entry.TryGetValue("Share", out share) || !entry.TryGetValue("Path", out relative) || !entry.TryGetValue("Length", out length) || !entry.TryGetValue("Modified", out modified) || !entry.TryGetValue("Sha256", out hash)
                    || !(hash is string) || !(relative is string) || share == null || length == null || modified == null)
                {
                    throw Corrupt("a file entry lacks Share, Path, Length, Modified or Sha256");
                }
                string path2 = (string)relative;
                if (!BackupEngine.IsSha256((string)hash)) { throw Corrupt("the hash of '" + path2 + "' is not a SHA-256"); }
                if (IsUnsafePath(path2)) { throw Corrupt("the path '" + path2 + "' is not a safe relative path"); }
                if (!(length is long) || !(modified is long) || !(share is long)) { throw Corrupt("a file entry is not valid (Share, Length and Modified must be integers)"); }
                if ((long)length < 0) { throw Corrupt("the length of '" + path2 + "' is negative"); }
                if ((long)share < 0 || (long)share >= shares.Length) { throw Corrupt("the share index of '" + path2 + "' is out of range"); }
                files[i] = new ManifestEntry((int)(long)share, path2, (long)length, (long)modified, (string)hash);
                total += (long)length;
            }
            long totalBytes = Integer(totalValue, "TotalBytes is not a number");
            if (total != totalBytes) { throw Corrupt("its files add up to " + total.ToString(CultureInfo.InvariantCulture) + " bytes but TotalBytes says " + totalBytes.ToString(CultureInfo.InvariantCulture)); }
            ManifestFailure[] failed = new ManifestFailure[failedList.Count];
            for (int i = 0; i < failed.Length; i++)
            {
                Dictionary<string, object> entry = failedList[i] as Dictionary<string, object>;
                object share, relative, error;
                if (entry == null || !entry.TryGetValue("Share", out share) || !(share is long) || !entry.TryGetValue("Path", out relative) || !(relative is string)) { throw Corrupt("a failure entry lacks Share or Path"); }
                if (!entry.TryGetValue("Error", out error) || error == null) { error = string.Empty; }
                failed[i] = new ManifestFailure((int)(long)share, (string)relative, Convert.ToString(error, CultureInfo.InvariantCulture));
            }
            string digest = Digest(formatVersion, (string)setNameValue, startTime, endTime, extensions, fileCount, totalBytes, shares, files, failed);
            if (!(digestValue is string) || digest != (string)digestValue) { throw Corrupt("its digest does not match its content (the file was damaged or edited)"); }
            ManifestData data = new ManifestData();
            data.Path = path;
            data.FormatVersion = formatVersion;
            data.SetPath = System.IO.Path.GetDirectoryName(path);
            data.SetName = (string)setNameValue;
            data.StartTime = startTime;
            data.EndTime = endTime;
            data.Shares = shares;
            data.Extensions = extensions;
            data.Files = files;
            data.Failed = failed;
            data.TotalBytes = total;
            return data;
        }
    }

    /// <summary>A file found on a library share by SourceListing.</summary>
    public sealed class SourceFile
    {
        public int Share;
        public string Path;
        public FileInfo File;
    }

    /// <summary>
    /// The files of the library shares, read only, listed on several threads: links to folders not followed, an
    /// optional extension filter; a folder that cannot be listed is a failure (its path ends with /). Files and
    /// failures come ordered by share, then path (ordinal).
    /// </summary>
    public sealed class SourceListing
    {
        private readonly List<SourceFile> files = new List<SourceFile>();
        private readonly List<ManifestFailure> failed = new List<ManifestFailure>();
        private readonly List<string> failedFolders = new List<string>();

        public SourceListing(string[] shares, string[] extensions)
        {
            if (extensions != null && extensions.Length > 0)
            {
                filter = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
                foreach (string extension in extensions) { filter[extension] = true; }
            }
            Seen = new int[shares.Length];
            Taken = new int[shares.Length];
            for (int share = 0; share < shares.Length; share++)
            {
                // The folders of a share are listed on several threads (each file costs a stat): every thread
                // takes a folder from the shared stack, lists it, and pushes its subfolders.
                pending.Push(new DirectoryInfo(shares[share]));
                outstanding = 1;
                int workers = Math.Max(1, Store.DefaultWorkers());
                Thread[] threads = new Thread[workers - 1];
                int current = share;
                string root = shares[share];
                for (int i = 0; i < threads.Length; i++)
                {
                    threads[i] = new Thread(delegate () { ListFolders(current, root); });
                    threads[i].IsBackground = true;
                    threads[i].Start();
                }
                ListFolders(current, root);
                foreach (Thread thread in threads) { thread.Join(); }
                if (error != null) { throw new IOException(error.Message, error); }
            }
            // The threads finish folders in any order: the result is put in one order (share, then path).
            files.Sort(delegate (SourceFile x, SourceFile y) { return x.Share != y.Share ? x.Share.CompareTo(y.Share) : string.CompareOrdinal(x.Path, y.Path); });
            ManifestFailure[] failures = failed.ToArray();
            string[] folders = failedFolders.ToArray();
            int[] order = new int[failures.Length];
            for (int i = 0; i < order.Length; i++) { order[i] = i; }
            Array.Sort(order, delegate (int x, int y) { return failures[x].Share != failures[y].Share ? failures[x].Share.CompareTo(failures[y].Share) : string.CompareOrdinal(failures[x].Path, failures[y].Path); });
            failed.Clear();
            failedFolders.Clear();
            foreach (int i in order)
            {
                failed.Add(failures[i]);
                failedFolders.Add(folders[i]);
            }
        }

        private readonly Stack<DirectoryInfo> pending = new Stack<DirectoryInfo>();
        private readonly object sync = new object();
        private readonly Dictionary<string, bool> filter;
        private int outstanding;
        private Exception error;

        private void ListFolders(int share, string root)
        {
            bool windows = System.IO.Path.DirectorySeparatorChar == '\\';
            char[] separators = new char[] { '\\', '/' };
            List<SourceFile> found = new List<SourceFile>();
            List<DirectoryInfo> subfolders = new List<DirectoryInfo>();
            try
            {
                while (true)
                {
                    DirectoryInfo directory;
                    lock (sync)
                    {
                        while (pending.Count == 0 && outstanding > 0 && error == null) { Monitor.Wait(sync); }
                        if (pending.Count == 0 || error != null) { Monitor.PulseAll(sync); return; }
                        directory = pending.Pop();
                    }
                    found.Clear();
                    subfolders.Clear();
                    int seen = 0;
                    long bytes = 0;
                    ManifestFailure failure = null;
                    FileSystemInfo[] entries = null;
                    try
                    {
                        entries = directory.GetFileSystemInfos();
                    }
                    catch (Exception e)
                    {
                        string relativeDirectory = directory.FullName.Substring(Math.Min(root.Length, directory.FullName.Length)).TrimStart(separators);
                        if (windows) { relativeDirectory = relativeDirectory.Replace('\\', '/'); }
                        failure = new ManifestFailure(share, relativeDirectory + "/", e.Message);
                    }
                    if (entries != null)
                    {
                        foreach (FileSystemInfo entry in entries)
                        {
                            DirectoryInfo folder = entry as DirectoryInfo;
                            if (folder != null)
                            {
                                // Junctions and symbolic links to folders are not followed (they can loop or leave the share).
                                if ((folder.Attributes & FileAttributes.ReparsePoint) == 0) { subfolders.Add(folder); }
                                continue;
                            }
                            seen++;
                            if (filter != null && !filter.ContainsKey(entry.Extension)) { continue; }
                            FileInfo file = (FileInfo)entry;
                            long length;
                            try
                            {
                                length = file.Length;
                            }
                            catch (IOException)
                            {
                                // Gone between the listing of its folder and now: not on the share any more.
                                continue;
                            }
                            string relative = file.FullName.Substring(root.Length).TrimStart(separators);
                            if (windows) { relative = relative.Replace('\\', '/'); }
                            SourceFile item = new SourceFile();
                            item.Share = share;
                            item.Path = relative;
                            item.File = file;
                            bytes += length;
                            found.Add(item);
                        }
                    }
                    lock (sync)
                    {
                        if (failure != null)
                        {
                            failed.Add(failure);
                            failedFolders.Add(directory.FullName);
                        }
                        Seen[share] += seen;
                        Taken[share] += found.Count;
                        TotalBytes += bytes;
                        files.AddRange(found);
                        foreach (DirectoryInfo folder in subfolders) { pending.Push(folder); }
                        outstanding += subfolders.Count - 1;
                        Monitor.PulseAll(sync);
                    }
                }
            }
            catch (Exception e)
            {
                lock (sync)
                {
                    if (error == null) { error = e; }
                    Monitor.PulseAll(sync);
                }
            }
        }

        public int[] Seen { get; private set; }
        public int[] Taken { get; private set; }
        public long TotalBytes { get; private set; }
        public int Count { get { return files.Count; } }
        public ManifestFailure[] GetFailed() { return failed.ToArray(); }
        public string[] GetFailedFolders() { return failedFolders.ToArray(); }
        public SourceFile[] GetFiles() { return files.ToArray(); }
    }

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

        /// <summary>
        /// A whole JSON document: objects as Dictionary (a repeated name is an error), arrays as List, integers
        /// as long, other numbers as double, strings, true, false, null. Throws FormatException.
        /// </summary>
        public static object ParseDocument(string text)
        {
            int i = 0;
            if (text.Length > 0 && text[0] == '\uFEFF') { i = 1; }
            SkipSpace(text, ref i);
            object value = ReadAny(text, ref i, 0);
            SkipSpace(text, ref i);
            if (i != text.Length) { throw new FormatException("unexpected text at character " + i.ToString(CultureInfo.InvariantCulture)); }
            return value;
        }

        private static object ReadAny(string text, ref int i, int depth)
        {
            if (depth > 64) { throw new FormatException("nested too deep"); }
            char c = Peek(text, i);
            if (c == '{')
            {
                i++;
                Dictionary<string, object> map = new Dictionary<string, object>(8, StringComparer.Ordinal);
                SkipSpace(text, ref i);
                if (Peek(text, i) == '}') { i++; return map; }
                while (true)
                {
                    SkipSpace(text, ref i);
                    string name = ReadName(text, ref i);
                    SkipSpace(text, ref i);
                    Expect(text, ref i, ':');
                    SkipSpace(text, ref i);
                    if (map.ContainsKey(name)) { throw new FormatException("the name '" + name + "' is repeated"); }
                    map[name] = ReadAny(text, ref i, depth + 1);
                    SkipSpace(text, ref i);
                    char next = Peek(text, i);
                    i++;
                    if (next == ',') { continue; }
                    if (next == '}') { return map; }
                    throw new FormatException("expected , or } at character " + (i - 1).ToString(CultureInfo.InvariantCulture));
                }
            }
            if (c == '[')
            {
                i++;
                List<object> list = new List<object>();
                SkipSpace(text, ref i);
                if (Peek(text, i) == ']') { i++; return list; }
                while (true)
                {
                    SkipSpace(text, ref i);
                    list.Add(ReadAny(text, ref i, depth + 1));
                    SkipSpace(text, ref i);
                    char next = Peek(text, i);
                    i++;
                    if (next == ',') { continue; }
                    if (next == ']') { return list; }
                    throw new FormatException("expected , or ] at character " + (i - 1).ToString(CultureInfo.InvariantCulture));
                }
            }
            if (c == '-' || (c >= '0' && c <= '9'))
            {
                int start = i;
                i++;
                while (i < text.Length && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == 'e' || text[i] == 'E' || text[i] == '+' || text[i] == '-')) { i++; }
                string number = text.Substring(start, i - start);
                long integer;
                if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer)) { return integer; }
                double real;
                if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out real)) { return real; }
                throw new FormatException("'" + number + "' is not a number");
            }
            return ReadValue(text, ref i);
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

        private static readonly string[] CommonNames = new string[] { "Share", "Path", "Length", "Modified", "Sha256", "Error" };

        /// <summary>A member name: the names every manifest entry repeats are not allocated again.</summary>
        private static string ReadName(string text, ref int i)
        {
            if (Peek(text, i) == '"')
            {
                foreach (string name in CommonNames)
                {
                    int end = i + 1 + name.Length;
                    if (end < text.Length && text[end] == '"' && string.CompareOrdinal(text, i + 1, name, 0, name.Length) == 0)
                    {
                        i = end + 1;
                        return name;
                    }
                }
            }
            return ReadString(text, ref i);
        }

        private static string ReadString(string text, ref int i)
        {
            Expect(text, ref i, '"');
            // Most strings have no escape: taken as they are.
            int end = i;
            while (end < text.Length && text[end] != '"' && text[end] != '\\') { end++; }
            if (end < text.Length && text[end] == '"')
            {
                string plain = text.Substring(i, end - i);
                i = end + 1;
                return plain;
            }
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
        # Compiling takes seconds, and a process that only reads a manifest (Test-VmmBackup, or a DSC Get under an
        # engine that starts a process per call) would pay it every time. So the compiled assembly is kept in the
        # user's local application data, one per source digest and runtime, and loaded from there when present; a
        # cached file that does not load is compiled again. Without a usable folder it is compiled in memory.
        $definition = $source.Replace('VMM_ENGINE_NAMESPACE', $namespace)
        $cache = $null
        $appData = [System.Environment]::GetFolderPath([System.Environment+SpecialFolder]::LocalApplicationData, [System.Environment+SpecialFolderOption]::Create)
        if (-not [string]::IsNullOrEmpty($appData)) {
            $runtime = ('{0}{1}' -f $PSVersionTable.PSEdition, [System.Environment]::Version).ToLowerInvariant()
            $cache = [System.IO.Path]::Combine([System.IO.Path]::Combine($appData, 'VmmBackup'), 'store')
            $cache = [System.IO.Path]::Combine($cache, ('{0}.{1}.dll' -f $namespace, $runtime))
        }
        $loaded = $false
        if ($null -ne $cache -and [System.IO.File]::Exists($cache)) {
            try {
                $loaded = $null -ne ([System.Reflection.Assembly]::LoadFrom($cache)).GetType($namespace + '.Store', $false)
            } catch {
                $loaded = $false
            }
        }
        if (-not $loaded -and $null -ne $cache) {
            # A cached file that is there now did not load: it is replaced. One that appears while this process
            # compiles was written by another process: it is used.
            $broken = [System.IO.File]::Exists($cache)
            $temporary = $cache + '.' + [guid]::NewGuid().ToString('N') + '.tmp'
            try {
                $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($cache))
                Add-Type -TypeDefinition $definition -Language CSharp -OutputAssembly $temporary -OutputType Library -ErrorAction Stop
                if ($broken) {
                    [System.IO.File]::Delete($cache)
                    [System.IO.File]::Move($temporary, $cache)
                } elseif (-not [System.IO.File]::Exists($cache)) {
                    try { [System.IO.File]::Move($temporary, $cache) } catch { Write-Verbose "Another process kept the library store's compiled code first: $($_.Exception.Message)" }
                }
                $loaded = $null -ne ([System.Reflection.Assembly]::LoadFrom($cache)).GetType($namespace + '.Store', $false)
            } catch {
                Write-Verbose "The library store's compiled code could not be kept in '$cache' ($($_.Exception.Message)); it is compiled for this session only."
                $loaded = $false
            } finally {
                if ([System.IO.File]::Exists($temporary)) {
                    try { [System.IO.File]::Delete($temporary) } catch { Write-Verbose $_.Exception.Message }
                }
            }
        }
        if (-not $loaded -and $null -eq ($namespace + '.Store' -as [type])) {
            Add-Type -TypeDefinition $definition -Language CSharp -ErrorAction Stop
        }
    }
    $script:VmmCopyEngineNamespace = $namespace
    $namespace
}
