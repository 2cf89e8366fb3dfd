<#
    The library store's copy engine: its journal (written and read back by the engine), its parallel runs, and
    kill -9 at random moments of parallel backups: the last good set stays Good, a partial set is never Good,
    and the next run completes.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

    function Get-Sha256 {
        param([string] $Path)
        (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    function New-Engine {
        param([string] $Destination)
        $objects = Join-Path $Destination 'objects'
        $null = New-Item -ItemType Directory -Path (Join-Path $objects 'tmp') -Force
        & (Get-Module VmmBackup) { param($o) New-VmmCopyEngine -Kind Backup -ObjectsRoot $o -TemporaryRoot (Join-Path $o 'tmp') } $objects
    }

    function Invoke-Engine {
        param($Engine, [int] $Workers = 2)
        $Engine.Start($Workers)
        $null = $Engine.Wait(-1)
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'the library copy engine' {
    BeforeEach {
        $id = [guid]::NewGuid().ToString('N')
        $share = Join-Path $TestDrive "share $id"
        $destination = Join-Path $TestDrive "store $id"
        $null = New-Item -ItemType Directory -Path $share -Force
        $names = @('a.vhdx', "quote'd [1].iso", 'B "x".vhd', "uni$([char]0x2028)code.ps1", 'plain.inf', 'Z.vsv')
        $random = New-Object System.Random 5
        $files = foreach ($name in $names) {
            $bytes = New-Object byte[] ($random.Next(0, 3000000))
            $random.NextBytes($bytes)
            $path = Join-Path $share $name
            [System.IO.File]::WriteAllBytes($path, $bytes)
            Get-Item -LiteralPath $path
        }
    }

    It 'copies every file into objects/xx/sha256 on two workers, in manifest order, and journals each one' {
        $engine = New-Engine $destination
        $journalPath = Join-Path $destination 'journal.jsonl'
        $engine.OpenJournal($journalPath)
        foreach ($file in $files) { $null = $engine.Add(0, $share, $file.Name, $file.FullName, $file.Length, 0) }
        Invoke-Engine $engine
        $engine.CloseJournal()
        $engine.Workers | Should -Be 2
        $engine.Copied | Should -Be $files.Count
        $engine.Fatal | Should -BeNullOrEmpty
        $entries = $engine.GetEntries()
        $expected = [string[]]@($files | ForEach-Object Name)
        [System.Array]::Sort($expected, [System.StringComparer]::Ordinal)
        [string[]]@($entries | ForEach-Object Path) | Should -Be $expected -Because 'the manifest order is ordinal by path'
        foreach ($entry in $entries) {
            $entry.Sha256 | Should -Be (Get-Sha256 (Join-Path $share $entry.Path))
            Get-Sha256 (Join-Path $destination "objects/$($entry.Sha256.Substring(0, 2))/$($entry.Sha256)") | Should -Be $entry.Sha256
        }
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects/tmp') -File).Count | Should -Be 0

        # Each journal line is one JSON object that PowerShell reads back with the same values.
        $lines = @([System.IO.File]::ReadAllLines($journalPath))
        $lines.Count | Should -Be $files.Count
        foreach ($line in $lines) {
            $record = $line | ConvertFrom-Json
            $entry = $entries | Where-Object Path -CEQ $record.p
            $record.s | Should -Be $share
            $record.h | Should -Be $entry.Sha256
            [long]$record.l | Should -Be $entry.Length
        }
    }

    It 'resumes from its journal, skipping a damaged or partial line, and copies only what the journal lacks' {
        $first = New-Engine $destination
        $journalPath = Join-Path $destination 'journal.jsonl'
        $first.OpenJournal($journalPath)
        foreach ($file in $files) { $null = $first.Add(0, $share, $file.Name, $file.FullName, $file.Length, [long][math]::Floor(($file.LastWriteTimeUtc.Ticks - 621355968000000000) / 10000)) }
        Invoke-Engine $first
        $first.CloseJournal()
        $lines = [System.IO.File]::ReadAllLines($journalPath)
        # The first record damaged, the last one cut short as a kill leaves it.
        $text = '{"s": broken' + "`n" + (($lines[1..($lines.Count - 2)]) -join "`n") + "`n" + $lines[$lines.Count - 1].Substring(0, 20)
        [System.IO.File]::WriteAllText($journalPath, $text)

        $second = New-Engine $destination
        $second.LoadJournal($journalPath) | Should -Be ($files.Count - 2)
        $second.DamagedJournalLines | Should -Be 1
        foreach ($file in $files) { $null = $second.Add(0, $share, $file.Name, $file.FullName, $file.Length, [long][math]::Floor(($file.LastWriteTimeUtc.Ticks - 621355968000000000) / 10000)) }
        Invoke-Engine $second
        $second.Resumed | Should -Be ($files.Count - 2)
        $second.Copied | Should -Be 2
    }
}

Describe 'progress of a library backup and restore' {
    It 'shows one progress bar for the whole run, with files, bytes, MB/s and the workers' {
        $share = Join-Path $TestDrive 'progress-share'
        $null = New-Item -ItemType Directory -Path $share
        $bytes = New-Object byte[] 65536
        for ($i = 0; $i -lt 30; $i++) { [System.IO.File]::WriteAllBytes((Join-Path $share "disk$i.vhdx"), $bytes) }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param([string] $Module, [string] $Share, [string] $Destination, [string] $Target)
                    $ProgressPreference = 'Continue'
                    Import-Module $Module -Force
                    $null = Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false
                    $null = New-Item -ItemType Directory -Path $Target
                    $null = Restore-VmmLibraryShare -BackupSet $Destination -Destination $Target -Confirm:$false -WarningAction SilentlyContinue
                }).AddArgument((Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1')).AddArgument($share).AddArgument((Join-Path $TestDrive 'progress-backup')).AddArgument((Join-Path $TestDrive 'progress-restored'))
            $null = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $records = @($shell.Streams.Progress)
        } finally {
            $shell.Dispose()
        }
        # Each cmdlet's bar has the progress id its model gives it (generated/contracts/cmdlets.json).
        $progressIds = @{}
        foreach ($contract in (Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'generated/contracts/cmdlets.json') | ConvertFrom-Json).cmdlets) { $progressIds[$contract.name] = $contract.progressId }
        $bars = [ordered]@{ 'Backing up VMM library shares' = 'Backup-VmmLibraryShare'; "Restoring library share data onto $(Join-Path $TestDrive 'progress-restored')" = 'Restore-VmmLibraryShare' }
        foreach ($activity in $bars.Keys) {
            $bar = @($records | Where-Object Activity -EQ $activity)
            $bar | Should -Not -BeNullOrEmpty
            $progressIds[$bars[$activity]] | Should -BeGreaterThan 1
            @($bar | ForEach-Object ActivityId | Select-Object -Unique) | Should -Be @($progressIds[$bars[$activity]]) -Because 'one bar for the whole run'
            @($bar | Where-Object StatusDescription -Match '^\d+ of 30 files; [\d.,]+ of [\d.,]+ MB; [\d.,]+ MB/s; \d+ workers$') | Should -Not -BeNullOrEmpty
            $bar[$bar.Count - 1].RecordType | Should -Be 'Completed'
        }
    }
}

Describe 'the restore plan (Get-VmmLibraryRestorePlan)' {
    BeforeAll {
        $namespace = & (Get-Module VmmBackup) { Get-VmmLibraryStoreType }
        $entryType = $namespace + '.ManifestEntry' -as [type]
        $storeType = $namespace + '.Store' -as [type]
        function New-PlanFixture {
            # A store holding one object per entry (its name is its hash), sized as the entry says unless told.
            param([object[]] $Entries, [hashtable] $StoredLength = @{})
            $id = [guid]::NewGuid().ToString('N')
            $objects = Join-Path $TestDrive "objects $id"
            $target = Join-Path $TestDrive "target $id"
            $null = New-Item -ItemType Directory -Path $target -Force
            $files = foreach ($e in $Entries) {
                $object = $storeType::ObjectPath($objects, $e.Sha256)
                $null = New-Item -ItemType Directory -Path (Split-Path $object -Parent) -Force
                $length = $e.Length
                if ($StoredLength.ContainsKey($e.Path)) { $length = $StoredLength[$e.Path] }
                if ($length -ge 0) { [System.IO.File]::WriteAllBytes($object, (New-Object byte[] $length)) }
                $e
            }
            @{ Set = [pscustomobject]@{ ObjectsPath = $objects }; Manifest = [pscustomobject]@{ Files = [object[]]$files }; Target = $target }
        }
        function New-Entry {
            param([string] $Path, [long] $Length = 10, [int] $Share = 0)
            $sha = [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::Create().ComputeHash([System.Text.Encoding]::UTF8.GetBytes("$Share/$Path"))).Replace('-', '').ToLowerInvariant()
            New-Object -TypeName $entryType -ArgumentList $Share, $Path, $Length, 0, $sha
        }
        function Get-Plan {
            param($Fixture, [int] $Share = 0)
            & (Get-Module VmmBackup) { param($f, $s) Get-VmmLibraryRestorePlan -Set $f.Set -Manifest $f.Manifest -Share $s -Target $f.Target } $Fixture $Share
        }
    }

    It 'plans every file of the chosen share under the target, in manifest order, with its stored object and the total' {
        $f = New-PlanFixture @((New-Entry 'VHDs/a.vhdx' 100), (New-Entry 'b.iso' 7 -Share 1), (New-Entry "ISO/quote'd [1].iso" 5))
        $plan = Get-Plan $f
        $plan.Problems.Count | Should -Be 0
        $plan.Links.Count | Should -Be 0
        @($plan.Items | ForEach-Object Path) | Should -Be @('VHDs/a.vhdx', "ISO/quote'd [1].iso")
        $plan.Items[0].Target | Should -Be ([System.IO.Path]::Combine($f.Target, 'VHDs', 'a.vhdx'))
        $plan.Items[0].ObjectPath | Should -Be ($storeType::ObjectPath($f.Set.ObjectsPath, $plan.Items[0].Sha256))
        $plan.TotalBytes | Should -Be 105
        (Get-Plan $f -Share -1).Items.Count | Should -Be 3
    }

    It 'names a stored object that is missing or of another size as a problem, and plans the rest' {
        $f = New-PlanFixture @((New-Entry 'gone.vhdx' 10), (New-Entry 'short.iso' 10), (New-Entry 'fine.vsv' 3)) -StoredLength @{ 'gone.vhdx' = -1; 'short.iso' = 4 }
        $plan = Get-Plan $f
        @($plan.Problems) | Should -Be @("'gone.vhdx' is missing from the backup store", "'short.iso' has 4 bytes in the backup store instead of 10")
        @($plan.Items | ForEach-Object Path) | Should -Be @('fine.vsv')
    }

    It 'refuses a name that is not valid here and a path that leads out of the target' {
        $f = New-PlanFixture @((New-Entry "bad$([char]0)name.iso"), (New-Entry '../outside.vhdx'), (New-Entry 'a/../../outside2.vhdx'), (New-Entry 'a/../inside.vhdx'))
        $plan = Get-Plan $f
        $plan.Problems | Should -HaveCount 3
        $plan.Problems[0] | Should -BeLike "'bad*name.iso' is not a valid file name on this system"
        $plan.Problems[1] | Should -BeLike "'../outside.vhdx' *"
        $plan.Problems[2] | Should -BeLike "'a/../../outside2.vhdx' *"
        @($plan.Items | ForEach-Object Target) | Should -Be @([System.IO.Path]::Combine($f.Target, 'inside.vhdx'))
    }

    It 'lists a linked folder once and a linked file at its place, and leaves their files out' {
        $f = New-PlanFixture @((New-Entry 'VHDs/a.vhdx'), (New-Entry 'VHDs/sub/b.vhdx'), (New-Entry 'ISO/c.iso'), (New-Entry 'ISO/d.iso'), (New-Entry 'plain/e.vsv'))
        $outside = Join-Path $TestDrive ("outside " + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $outside
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $f.Target 'VHDs') -Target $outside
        $null = New-Item -ItemType Directory -Path (Join-Path $f.Target 'ISO'), (Join-Path $f.Target 'plain')
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $f.Target 'ISO/c.iso') -Target (Join-Path $outside 'canary.txt')
        $plan = Get-Plan $f
        @($plan.Links) | Should -Be @((Join-Path $f.Target 'VHDs'), (Join-Path $f.Target 'ISO/c.iso'))
        @($plan.Items | ForEach-Object Path) | Should -Be @('ISO/d.iso', 'plain/e.vsv')
        $plan.TotalBytes | Should -Be 20
    }

    It 'decides "within the target" exactly as Test-VmmPathRelation does' {
        $pairs = @(
            @('/lib/a', '/lib'), @('/lib', '/lib'), @('/lib2/a', '/lib'), @('/lib/', '/lib'), @('/lib/a/', '/lib/'), @('/LIB/a', '/lib'),
            @('C:\lib\a', 'C:\lib'), @('c:\LIB\a', 'C:\lib'), @('C:\lib2', 'C:\lib'), @('C:/lib/a', 'C:\lib'), @('C:\a', 'C:\'), @('C:', 'C:\'),
            @('/', '/'), @('/a', '/'), @('//a', '/'), @('', '/'), @('a', ''), @('/lib/a', '/lib//')
        )
        foreach ($pair in $pairs) {
            $expected = & (Get-Module VmmBackup) { param($p, $o) Test-VmmPathRelation -Path $p -Other $o -Relation Within } $pair[0] $pair[1]
            $storeType::IsWithin($pair[0], $pair[1]) | Should -Be $expected -Because "'$($pair[0])' within '$($pair[1])'"
        }
    }
}

Describe 'the store code (engines, manifest, listing) compiles on Windows PowerShell 5.1' {
    BeforeAll {
        $text = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'generated/VmmBackup/Private/Store/Get-VmmLibraryStoreType.ps1'))
        $start = $text.IndexOf("@'") + 2
        $source = $text.Substring($start, $text.IndexOf("'@", $start) - $start).Replace('VMM_ENGINE_NAMESPACE', 'Check')

        # Windows PowerShell 5.1 compiles Add-Type sources with the C# 5 compiler of .NET Framework.
        function Get-CSharp5Error {
            param([string] $Code)
            Add-Type -AssemblyName Microsoft.CodeAnalysis.CSharp
            $options = [Microsoft.CodeAnalysis.CSharp.CSharpParseOptions]::new([Microsoft.CodeAnalysis.CSharp.LanguageVersion]::CSharp5)
            $tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($Code, $options)
            $references = [System.Collections.Generic.List[Microsoft.CodeAnalysis.MetadataReference]]::new()
            foreach ($assembly in [System.AppDomain]::CurrentDomain.GetAssemblies()) {
                if (-not $assembly.IsDynamic -and $assembly.Location) { $references.Add([Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($assembly.Location)) }
            }
            $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('check', [Microsoft.CodeAnalysis.SyntaxTree[]]@($tree), $references, [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
            @($compilation.GetDiagnostics() | Where-Object { $_.Severity -eq 'Error' } | ForEach-Object { $_.ToString() })
        }
    }

    It 'is C# 5 (no later syntax), and the check finds later syntax' {
        Get-CSharp5Error $source | Should -BeNullOrEmpty
        Get-CSharp5Error ($source + 'class Later { int Value => 1; string Text() { return $"{Value}"; } }') | Should -HaveCount 2
    }

    It 'uses only namespaces of mscorlib, which Add-Type references on .NET Framework 4.6.2, and no newer type' {
        $usings = @([regex]::Matches($source, '(?m)^using ([\w.]+);') | ForEach-Object { $_.Groups[1].Value })
        $usings | Should -Not -BeNullOrEmpty
        $usings | Where-Object { $_ -notin 'System', 'System.Collections.Concurrent', 'System.Collections.Generic', 'System.Globalization', 'System.IO', 'System.Security.Cryptography', 'System.Text', 'System.Threading', 'System.Threading.Tasks' } | Should -BeNullOrEmpty
        # Span and Memory are .NET only; HashSet (System.Core) and Stopwatch (System) are outside mscorlib.
        $source | Should -Not -Match '\b(ReadOnly)?(Span|Memory)<|\bHashSet<|\bStopwatch\b|\bValueTuple\b|\bstackalloc\b'
    }
}

Describe 'Backup-VmmLibraryShare killed at random moments of parallel runs' {
    BeforeAll {
        $share = Join-Path $TestDrive 'kill-share'
        $destination = Join-Path $TestDrive 'kill-backup'
        $null = New-Item -ItemType Directory -Path (Join-Path $share 'VHDs') -Force
        $random = New-Object System.Random 23
        $bytes = New-Object byte[] 262144
        $fileCount = 48
        Write-RandomFile -Format (Join-Path $share 'VHDs/disk{0:D3}.vhdx') -Count $fileCount -Buffer $bytes -Random $random
        $good = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $childScript = Join-Path $TestDrive 'child.ps1'
        [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination)
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module -Force
Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false | Out-Null
'@)
        $module = Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1'
        $pwsh = Join-Path $PSHOME 'pwsh'
        if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = Join-Path $PSHOME 'pwsh.exe' }

        $kills = 0
        $completed = 0
        $violations = New-Object System.Collections.Generic.List[string]
        for ($round = 0; $round -lt 40 -and $kills -lt 20; $round++) {
            # New work for every run: some files rewritten with new content.
            for ($j = 0; $j -lt 12; $j++) {
                $random.NextBytes($bytes)
                [System.IO.File]::WriteAllBytes((Join-Path $share ('VHDs/disk{0:D3}.vhdx' -f $random.Next(0, $fileCount))), $bytes)
            }
            $start = New-Object System.Diagnostics.ProcessStartInfo
            $start.FileName = $pwsh
            foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $childScript, '-Module', $module, '-Share', $share, '-Destination', $destination)) { $start.ArgumentList.Add($argument) }
            $start.UseShellExecute = $false
            # A random moment: after a random number of journal lines (0: as soon as the set folder exists), plus a random delay.
            $killAfterLines = $random.Next(0, 14)
            $extraDelay = $random.Next(0, 25)
            $child = [System.Diagnostics.Process]::Start($start)
            $deadline = (Get-Date).AddSeconds(120)
            while (-not $child.HasExited -and (Get-Date) -lt $deadline) {
                $journal = @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Recurse -Filter 'journal.jsonl' -ErrorAction SilentlyContinue) | Select-Object -First 1
                if ($null -ne $journal) {
                    $lines = 0
                    try {
                        $stream = [System.IO.FileStream]::new($journal.FullName, 'Open', 'Read', 'ReadWrite')
                        try { $lines = ((New-Object System.IO.StreamReader $stream).ReadToEnd().ToCharArray() | Where-Object { $_ -eq "`n" }).Count } finally { $stream.Dispose() }
                    } catch { $lines = 0 }
                    if ($lines -ge $killAfterLines) { break }
                }
                Start-Sleep -Milliseconds 5
            }
            Start-Sleep -Milliseconds $extraDelay
            if ($child.HasExited) {
                $completed++
            } else {
                $child.Kill()
                $kills++
            }
            $child.WaitForExit()

            # After every run: each set is Good when it has a manifest and never Good without one; the newest
            # complete set is the one Test-VmmBackup reports.
            foreach ($setPath in [System.IO.Directory]::GetDirectories((Join-Path $destination 'sets'))) {
                $hasManifest = [System.IO.File]::Exists((Join-Path $setPath 'manifest.json'))
                $state = (Test-VmmBackup -Path $setPath).State
                if ($hasManifest) {
                    if ($state -ne 'Good') { $violations.Add("round ${round}: complete set $setPath is $state") }
                } elseif ($state -eq 'Good') {
                    $violations.Add("round ${round}: partial set $setPath is Good")
                }
            }
            $reported = Test-VmmBackup -Path $destination
            if ($reported.State -ne 'Good') { $violations.Add("round ${round}: the destination is $($reported.State)") }
        }
        $final = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
    }

    It 'was killed at least 20 times while copying' {
        $kills | Should -BeGreaterOrEqual 20
    }

    It 'kept every complete set Good and never reported a partial set Good, after every kill' {
        $violations | Should -BeNullOrEmpty
    }

    It 'completes the backup on the next run: every file of the share, Good, restorable' {
        $final.Files | Should -Be $fileCount
        $final.Failed | Should -Be 0
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects/tmp') -File).Count | Should -Be 0
        $check = Test-VmmBackup -Path $destination
        $check.State | Should -Be 'Good'
        $check.Path | Should -Be $final.SetPath
        $restored = Join-Path $TestDrive 'kill-restored'
        $null = New-Item -ItemType Directory -Path $restored
        $restore = Restore-VmmLibraryShare -BackupSet $destination -Destination $restored -Confirm:$false -WarningAction SilentlyContinue
        $restore.Verified | Should -BeTrue
        foreach ($file in Get-ChildItem -LiteralPath (Join-Path $share 'VHDs') -File) {
            Get-Sha256 (Join-Path $restored "VHDs/$($file.Name)") | Should -Be (Get-Sha256 $file.FullName)
        }
    }
}

Describe 'the library store format on disk, against the schemas emitted from the model' {
    BeforeAll {
        $schemaRoot = Join-Path $repoRoot 'generated/schemas'
        $share = Join-Path $TestDrive 'format-share'
        $destination = Join-Path $TestDrive 'format-backup'
        $null = New-Item -ItemType Directory -Path (Join-Path $share "ISO [x];it's") -Force
        [System.IO.File]::WriteAllText((Join-Path $share "ISO [x];it's/setup.iso"), 'iso image')
        [System.IO.File]::WriteAllText((Join-Path $share 'base.vhdx'), 'disk contents')
        [System.IO.File]::WriteAllBytes((Join-Path $share 'empty.vhd'), [byte[]]@())
        $backup = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $manifestText = [System.IO.File]::ReadAllText($backup.ManifestPath)

        # An unfinished set, as a killed run leaves it: its journal written by the copy engine.
        $unfinished = Join-Path $destination 'sets/20200101_000000'
        $null = New-Item -ItemType Directory -Path $unfinished
        [System.IO.File]::WriteAllText((Join-Path $share 'new.vhdx'), 'new disk')
        $engine = & (Get-Module VmmBackup) { param($d) New-VmmCopyEngine -Kind Backup -ObjectsRoot (Join-Path $d 'objects') -TemporaryRoot (Join-Path $d 'objects/tmp') } $destination
        $journalPath = Join-Path $unfinished 'journal.jsonl'
        $engine.OpenJournal($journalPath)
        foreach ($file in Get-ChildItem -LiteralPath $share -Recurse -File) {
            $null = $engine.Add(0, $share, $file.FullName.Substring($share.Length + 1).Replace('\', '/'), $file.FullName, $file.Length, 0)
        }
        $engine.Start(2)
        $null = $engine.Wait(-1)
        $engine.CloseJournal()

        function Test-Schema {
            param([string] $Json, [string] $Schema)
            Test-Json -Json $Json -SchemaFile (Join-Path $schemaRoot $Schema) -ErrorAction SilentlyContinue
        }
    }

    It 'writes a manifest that its schema accepts, with the store format version of the model' {
        Test-Schema $manifestText 'VmmBackup.LibraryManifest.schema.json' | Should -BeTrue
        ($manifestText | ConvertFrom-Json).formatVersion | Should -Be (& (Get-Module VmmBackup) { (Get-VmmLibraryStoreFormat).FormatVersion })
    }

    It 'has a manifest schema that refuses a damaged manifest' {
        Test-Schema ($manifestText -replace '"Sha256": "[0-9a-f]{64}"', '"Sha256": "XYZ"') 'VmmBackup.LibraryManifest.schema.json' | Should -BeFalse
        Test-Schema ($manifestText -replace '"Path": "base.vhdx"', '"Path": "../base.vhdx"') 'VmmBackup.LibraryManifest.schema.json' | Should -BeFalse
        Test-Schema ($manifestText -replace '"Format"', '"Extra": 1, "Format"') 'VmmBackup.LibraryManifest.schema.json' | Should -BeFalse
    }

    It 'writes journal lines that the journal record schema accepts, one per line' {
        $lines = @([System.IO.File]::ReadAllText($journalPath).Split("`n"))
        $lines[$lines.Count - 1] | Should -Be '' -Because 'every line ends with LF'
        $records = $lines[0..($lines.Count - 2)]
        $records.Count | Should -Be 4
        foreach ($line in $records) { Test-Schema $line 'VmmBackup.LibraryJournalRecord.schema.json' | Should -BeTrue -Because $line }
        Test-Schema '{"s":"x","p":"a","l":1,"m":0,"h":"00"}' 'VmmBackup.LibraryJournalRecord.schema.json' | Should -BeFalse
    }

    It 'lays out the destination as the model says: every file and folder matches the layout schema' {
        $paths = @(Get-ChildItem -LiteralPath $destination -Recurse -Force | ForEach-Object { $_.FullName.Substring($destination.Length + 1).Replace('\', '/') })
        $paths | Should -Contain '.lock'
        $paths | Should -Contain 'sets/20200101_000000/journal.jsonl'
        Test-Schema (ConvertTo-Json -InputObject $paths -Compress) 'VmmBackup.LibraryStoreLayout.schema.json' | Should -BeTrue
        Test-Schema (ConvertTo-Json -InputObject @($paths + 'objects/stray.bin') -Compress) 'VmmBackup.LibraryStoreLayout.schema.json' | Should -BeFalse
        foreach ($object in Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File | Where-Object { $_.Directory.Name -ne 'tmp' }) {
            $object.Name.Substring(0, 2) | Should -Be $object.Directory.Name
            Get-Sha256 $object.FullName | Should -Be $object.Name
        }
    }

    It 'writes a lock record that its schema accepts, naming the last writer' {
        $lockText = [System.IO.File]::ReadAllText((Join-Path $destination '.lock'))
        Test-Schema $lockText 'VmmBackup.LibraryLock.schema.json' | Should -BeTrue -Because $lockText
        ($lockText | ConvertFrom-Json).ProcessId | Should -Be $PID
        Test-Schema ($lockText -replace '"ProcessId": \d+', '"ProcessId": "x"') 'VmmBackup.LibraryLock.schema.json' | Should -BeFalse
    }

    It 'digests a manifest as the shared digest function does (the same canonical text)' {
        $json = $manifestText | ConvertFrom-Json
        $properties = @{ Version = 2; SetName = $json.SetName; StartTime = [datetime]$json.StartTime; EndTime = [datetime]$json.EndTime; Extensions = @($json.Extensions); FileCount = $json.FileCount; TotalBytes = $json.TotalBytes }
        $digest = & (Get-Module VmmBackup) { param($j, $p) Get-VmmBackupManifestDigest -Shares @($j.Shares) -Files @($j.Files) -Failed @($j.Failed) -Properties $p } $json $properties
        $digest | Should -Be $json.Digest
    }

    It 'refuses a manifest of a newer store format with a clear error, and still reads those of earlier releases' {
        $newer = Join-Path $TestDrive 'newer.json'
        [System.IO.File]::WriteAllText($newer, ($manifestText -replace '"formatVersion": \d+', '"formatVersion": 99'))
        { & (Get-Module VmmBackup) { param($p) Read-VmmBackupManifest -Path $p } $newer } | Should -Throw -ErrorId 'VmmBackup.NewerStoreFormat*' -ExpectedMessage '*store format 99, written by a newer VmmBackup module*'

        # Earlier releases: Version 2 alone, then formatVersion 1 beside Version 2 (the same fields and digest).
        foreach ($older in '"Version": 2', ('"formatVersion": 1,' + "`n" + '  "Version": 2')) {
            [System.IO.File]::WriteAllText($backup.ManifestPath, ($manifestText -replace '"formatVersion": \d+', $older))
            [System.IO.File]::ReadAllText($backup.ManifestPath) | Should -BeLike '*"Version": 2*'
            $read = & (Get-Module VmmBackup) { param($p) Read-VmmBackupManifest -Path $p } $backup.ManifestPath
            $read.Files.Count | Should -Be 3
            $read.FormatVersion | Should -Be 2
            (Test-VmmBackup -Path $backup.SetPath).State | Should -Be 'Good'
        }
        # A Version beside a formatVersion above 1 is not a manifest this module (or an earlier one) wrote.
        [System.IO.File]::WriteAllText($backup.ManifestPath, ($manifestText -replace '"formatVersion": (\d+)', ('"formatVersion": $1,' + "`n" + '  "Version": 2')))
        { & (Get-Module VmmBackup) { param($p) Read-VmmBackupManifest -Path $p } $backup.ManifestPath } | Should -Throw -ErrorId 'VmmBackup.CorruptManifest*'

        [System.IO.File]::WriteAllText($backup.ManifestPath, ($manifestText -replace '"formatVersion": \d+', '"formatVersion": 99'))
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $TestDrive -Confirm:$false } | Should -Throw -ExpectedMessage '*newer VmmBackup module*'
    }
}
