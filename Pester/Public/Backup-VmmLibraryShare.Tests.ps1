<#
    Backup-VmmLibraryShare against real folders: every file is taken (each extension the specification names),
    the copy is incremental, the manifest holds the SHA-256 of every file, a killed run leaves the last good set
    intact and is resumed by the next run.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $script:specExtensions = @('.vhd', '.vhdx', '.iso', '.inf', '.vmx', '.ps1', '.vmc', '.vsv')

    function New-LibraryShare {
        param([string] $Root)
        $null = New-Item -ItemType Directory -Path $Root -Force
        foreach ($extension in $script:specExtensions) {
            $folder = Join-Path $Root ('kind' + $extension.Replace('.', '_'))
            $null = New-Item -ItemType Directory -Path $folder -Force
            [System.IO.File]::WriteAllText((Join-Path $folder ('item' + $extension)), "content of $extension")
        }
        # Names with quote, bracket and semicolon, an empty file, a file with no extension, a nested folder.
        $odd = Join-Path $Root "odd[1];it's"
        $null = New-Item -ItemType Directory -Path $odd -Force
        [System.IO.File]::WriteAllText((Join-Path $odd "disk'];x.vhdx"), 'odd disk')
        [System.IO.File]::WriteAllBytes((Join-Path $odd 'empty.iso'), [byte[]]@())
        [System.IO.File]::WriteAllText((Join-Path $Root 'README'), 'no extension')
        $bytes = New-Object byte[] 300000
        (New-Object System.Random 7).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $Root 'kind_vhdx/big.vhdx'), $bytes)
    }

    function Get-Manifest {
        param([string] $Path)
        Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json
    }

    function Get-Sha256 {
        param([string] $Path)
        (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    function Get-ObjectPath {
        param([string] $Destination, [string] $Hash)
        Join-Path (Join-Path (Join-Path $Destination 'objects') $Hash.Substring(0, 2)) $Hash
    }
    function Start-TestBackupProcess {
        # Runs a script in another pwsh process with the generated module, the share and the destination
        # (-Module, -Share, -Destination) and any further arguments.
        param([string] $Script, [string] $Share, [string] $Destination, [string[]] $More = @())
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = Join-Path $PSHOME 'pwsh'
        if (-not (Test-Path -LiteralPath $start.FileName)) { $start.FileName = Join-Path $PSHOME 'pwsh.exe' }
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $Script, '-Module', (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1'), '-Share', $Share, '-Destination', $Destination) + $More) {
            $start.ArgumentList.Add($argument)
        }
        $start.UseShellExecute = $false
        [System.Diagnostics.Process]::Start($start)
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Backup-VmmLibraryShare' {

    Context 'a first backup' {
        BeforeAll {
            $share = Join-Path $TestDrive ('first' + [guid]::NewGuid().ToString('N'))
            New-LibraryShare -Root $share
            $destination = Join-Path $TestDrive ("first backup it's [1];" + [guid]::NewGuid().ToString('N'))
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            $manifest = Get-Manifest $result.ManifestPath
        }

        It 'backs up the <_> files the specification names' -ForEach @('.vhd', '.vhdx', '.iso', '.inf', '.vmx', '.ps1', '.vmc', '.vsv') {
            $relative = 'kind' + $_.Replace('.', '_') + '/item' + $_
            $entry = @($manifest.Files | Where-Object { $_.Path -eq $relative })
            $entry.Count | Should -Be 1
            $entry[0].Sha256 | Should -Be (Get-Sha256 (Join-Path $share $relative))
            Get-Sha256 (Get-ObjectPath $destination $entry[0].Sha256) | Should -Be $entry[0].Sha256
        }

        It 'takes every file, whatever its name or extension, and reports the set' {
            $expected = @(Get-ChildItem -LiteralPath $share -Recurse -File | ForEach-Object { $_.FullName.Substring($share.Length + 1).Replace('\', '/') } | Sort-Object)
            @($manifest.Files.Path | Sort-Object) | Should -Be $expected
            $manifest.Files.Path | Should -Contain "odd[1];it's/disk'];x.vhdx"
            $manifest.Files.Path | Should -Contain 'README'
            $result.Files | Should -Be $expected.Count
            $result.Copied | Should -Be $expected.Count
            $result.Skipped | Should -Be 0
            $result.Failed | Should -Be 0
            $result.Bytes | Should -Be ((Get-ChildItem -LiteralPath $share -Recurse -File | Measure-Object -Property Length -Sum).Sum)
            $result.SetPath.StartsWith((Join-Path $destination 'sets')) | Should -BeTrue
            Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmLibraryShare'
        }

        It 'leaves no temporary file and commits the set with a manifest whose digest Test-VmmBackup accepts' {
            @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects/tmp') -File).Count | Should -Be 0
            Test-Path -LiteralPath (Join-Path $result.SetPath 'journal.jsonl') | Should -BeFalse
            $check = Test-VmmBackup -Path $destination
            $check.State | Should -Be 'Good'
            $check.Path | Should -Be $result.SetPath
        }

    }

    Context 'a later backup' {
        BeforeEach {
            $share = Join-Path $TestDrive ('share' + [guid]::NewGuid().ToString('N'))
            New-LibraryShare -Root $share
            $destination = Join-Path $TestDrive ("backup it's [1];" + [guid]::NewGuid().ToString('N'))
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            $manifest = Get-Manifest $result.ManifestPath
        }

        It 'copies nothing on a re-run without changes, and leaves the earlier set as it was' {
            $before = Get-Sha256 $result.ManifestPath
            $again = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            $again.Copied | Should -Be 0
            $again.Skipped | Should -Be $result.Files
            $again.SetPath | Should -Not -Be $result.SetPath
            Get-Sha256 $result.ManifestPath | Should -Be $before
            (Get-Manifest $again.ManifestPath).Files.Sha256 | Should -Be $manifest.Files.Sha256
        }

        It 'copies a changed file, and only hashes a file whose time changed but not its content' {
            $changed = Join-Path $share 'kind_iso/item.iso'
            [System.IO.File]::WriteAllText($changed, 'content of .ISO')   # same length, other content
            $touched = Join-Path $share 'kind_vmx/item.vmx'
            (Get-Item -LiteralPath $touched).LastWriteTimeUtc = (Get-Date).ToUniversalTime().AddMinutes(5)
            $objectsBefore = @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File).Count
            $again = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            $again.Copied | Should -Be 1
            $again.Skipped | Should -Be ($result.Files - 1)
            @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File).Count | Should -Be ($objectsBefore + 1)
            $entry = (Get-Manifest $again.ManifestPath).Files | Where-Object Path -EQ 'kind_iso/item.iso'
            $entry.Sha256 | Should -Be (Get-Sha256 $changed)
        }
    }

    Context 'options and failures' {
        BeforeEach {
            Reset-VmmStub
            $share = Join-Path $TestDrive ('share' + [guid]::NewGuid().ToString('N'))
            New-LibraryShare -Root $share
            $destination = Join-Path $TestDrive ("backup it's [1];" + [guid]::NewGuid().ToString('N'))
        }

        It 'takes only the extensions asked for with -Extension (with or without the dot)' {
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -Extension '.VHDX', 'iso' -Confirm:$false
            $paths = @((Get-Manifest $result.ManifestPath).Files.Path)
            $paths | Should -Contain 'kind_vhdx/item.vhdx'
            $paths | Should -Contain 'kind_iso/item.iso'
            $paths | Should -Contain "odd[1];it's/empty.iso"
            $paths | Where-Object { $_ -notmatch '\.(vhdx|iso)$' } | Should -BeNullOrEmpty
        }

        It 'backs up every share VMM lists when -Path is omitted' {
            $second = Join-Path $TestDrive ('second' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $second
            [System.IO.File]::WriteAllText((Join-Path $second 'drivers.inf'), 'driver')
            $script:sharePaths = @($share, $second)
            Set-VmmStubBehavior Get-SCLibraryShare { foreach ($p in $script:sharePaths) { New-VmmStubObject LibraryShare @{ Path = $p; Name = Split-Path $p -Leaf } } }
            $result = Backup-VmmLibraryShare -Destination $destination -VMMServer 'vmm01' -Confirm:$false
            $manifest = Get-Manifest $result.ManifestPath
            @($manifest.Shares) | Should -Be @($share, $second)
            @($manifest.Files | Where-Object { $_.Share -eq 1 }).Path | Should -Be @('drivers.inf')
            (Get-VmmStubCall -CommandName Get-SCVMMServer)[0].BoundParameters['ComputerName'] | Should -Be 'vmm01'
            @(Get-VmmStubCall -CommandName Get-SCLibraryShare).Count | Should -Be 1
        }

        It 'fails clearly when VMM lists no library share' {
            Set-VmmStubBehavior Get-SCLibraryShare { }
            { Backup-VmmLibraryShare -Destination $destination -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.NoLibraryShare*'
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'refuses a share path that does not exist, writing nothing' {
            { Backup-VmmLibraryShare -Path (Join-Path $TestDrive 'no-such-share') -Destination $destination -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.LibraryShareNotFound*'
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'refuses a root directory as destination' {
            { Backup-VmmLibraryShare -Path $share -Destination '/' -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.RootDestination*'
        }

        It 'refuses a destination inside the share' {
            { Backup-VmmLibraryShare -Path $share -Destination (Join-Path $share 'backup') -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.DestinationInsideShare*'
            Test-Path -LiteralPath (Join-Path $share 'backup') | Should -BeFalse
        }

        It 'fails clearly when the destination cannot be created (unreachable target)' {
            $file = Join-Path $TestDrive ('a-file' + [guid]::NewGuid().ToString('N'))
            [System.IO.File]::WriteAllText($file, 'not a folder')
            { Backup-VmmLibraryShare -Path $share -Destination (Join-Path $file 'backup') -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.DestinationUnreachable*'
        }

        It 'refuses to run while another backup holds the destination' {
            $null = New-Item -ItemType Directory -Path $destination
            $lock = [System.IO.FileStream]::new((Join-Path $destination '.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
            try {
                { Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.DestinationBusy*'
            } finally {
                $lock.Dispose()
            }
            Test-Path -LiteralPath (Join-Path $destination 'sets') | Should -BeTrue
            @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets')).Count | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -WhatIf
            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'reports a file it cannot read, keeps going, and records the set as incomplete' {
            $link = Join-Path $share 'kind_vhd/dangling.vhd'
            $null = New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $TestDrive 'missing-target.vhd')
            $output = @(Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false -ErrorAction Continue 2>&1)
            $problems = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $result = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'VmmBackup.SourceReadFailed*'
            $result.Failed | Should -Be 1
            $result.Copied | Should -BeGreaterThan 5
            (Get-Manifest $result.ManifestPath).Failed[0].Path | Should -Be 'kind_vhd/dangling.vhd'
            (Test-VmmBackup -Path $destination).State | Should -Be 'Corrupt'
        }

        It 'takes a damaged earlier manifest for no base: copies everything again and warns' {
            $first = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            [System.IO.File]::WriteAllText($first.ManifestPath, '{ "Format": "VmmBackup.LibraryManifest", truncated')
            $again = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
            $again.Skipped | Should -Be 0
            $again.Copied | Should -Be $first.Files
            "$warnings" | Should -BeLike '*damaged backup set*'
        }
    }

    Context 'a file that changes while it is copied' {
        BeforeAll {
            $share = Join-Path $TestDrive 'live-share'
            $destination = Join-Path $TestDrive 'live-backup'
            $null = New-Item -ItemType Directory -Path $share -Force
            [System.IO.File]::WriteAllText((Join-Path $share 'stable.iso'), 'stable content')
            $live = Join-Path $share 'live.vhdx'
            $block = 1048576
            $blocks = 24
            $patternA = New-Object byte[] $block
            $patternB = New-Object byte[] $block
            for ($i = 0; $i -lt $block; $i++) { $patternA[$i] = 65; $patternB[$i] = 66 }
            $stream = [System.IO.File]::Create($live)
            try { for ($i = 0; $i -lt $blocks; $i++) { $stream.Write($patternA, 0, $block) } } finally { $stream.Dispose() }
            # The only two consistent contents of the file: every block A, or every block B.
            $sha = [System.Security.Cryptography.SHA256]::Create()
            $whole = New-Object byte[] ($block * $blocks)
            for ($i = 0; $i -lt $whole.Length; $i++) { $whole[$i] = 65 }
            $hashA = ([System.BitConverter]::ToString($sha.ComputeHash($whole))).Replace('-', '').ToLowerInvariant()
            for ($i = 0; $i -lt $whole.Length; $i++) { $whole[$i] = 66 }
            $hashB = ([System.BitConverter]::ToString($sha.ComputeHash($whole))).Replace('-', '').ToLowerInvariant()
            $sha.Dispose()

            # A writer in the background rewrites the file in place, block by block, A then B then A..., until told to stop.
            $stopFile = Join-Path $TestDrive 'stop-writer'
            $writer = [powershell]::Create()
            $null = $writer.AddScript({
                    param([string] $Path, [byte[]] $A, [byte[]] $B, [int] $Blocks, [string] $Stop)
                    $passes = 0
                    while (-not [System.IO.File]::Exists($Stop)) {
                        $pattern = $A
                        if ($passes % 2 -eq 0) { $pattern = $B }
                        $stream = [System.IO.FileStream]::new($Path, 'Open', 'Write', 'ReadWrite')
                        try {
                            for ($i = 0; $i -lt $Blocks; $i++) { $stream.Write($pattern, 0, $pattern.Length); $stream.Flush() }
                        } finally { $stream.Dispose() }
                        $passes++
                    }
                    $passes
                }).AddArgument($live).AddArgument($patternA).AddArgument($patternB).AddArgument($blocks).AddArgument($stopFile)
            $handle = $writer.BeginInvoke()
            Start-Sleep -Milliseconds 200
            try {
                $output = @(Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false -ErrorAction Continue 2>&1)
            } finally {
                [System.IO.File]::WriteAllText($stopFile, 'stop')
                $passes = $writer.EndInvoke($handle)
                $writer.Dispose()
            }
            $problems = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $result = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
            $manifest = Get-Manifest $result.ManifestPath
            $entry = @($manifest.Files | Where-Object Path -EQ 'live.vhdx')
        }

        It 'was written to while the backup ran' {
            [int]"$passes" | Should -BeGreaterThan 1
        }

        It 'never stores a mixed copy: the file is either in the set with one consistent content, or Failed with the reason' {
            if ($entry.Count -eq 1) {
                $entry[0].Sha256 | Should -BeIn @($hashA, $hashB)
                Get-Sha256 (Get-ObjectPath $destination $entry[0].Sha256) | Should -Be $entry[0].Sha256
                $result.Failed | Should -Be 0
            } else {
                $entry.Count | Should -Be 0
                $result.Failed | Should -Be 1
                $manifest.Failed[0].Path | Should -Be 'live.vhdx'
                $manifest.Failed[0].Error | Should -BeLike '*changed while it was copied*'
                $problems.Count | Should -Be 1
                $problems[0].FullyQualifiedErrorId | Should -BeLike 'VmmBackup.SourceChanged*'
                (Test-VmmBackup -Path $destination).State | Should -Not -Be 'Good'
            }
        }

        It 'still backs up the files that did not change' {
            @($manifest.Files | Where-Object Path -EQ 'stable.iso').Count | Should -Be 1
            @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects/tmp') -File).Count | Should -Be 0
        }
    }

    Context 'retention' {
        BeforeAll {
            # A share whose file 'changing.vhdx' gets new content before each backup, next to stable files: each
            # set then has one stored file of its own and shares the others.
            function New-RetentionShare {
                param([string] $Root)
                $null = New-Item -ItemType Directory -Path (Join-Path $Root 'ISO') -Force
                [System.IO.File]::WriteAllText((Join-Path $Root 'ISO/stable.iso'), 'stable image')
                [System.IO.File]::WriteAllText((Join-Path $Root "it's [1];.inf"), 'stable driver')
            }
            function Invoke-RetentionBackup {
                param([string] $Share, [string] $Destination, [string] $Version, [hashtable] $Extra = @{})
                [System.IO.File]::WriteAllText((Join-Path $Share 'changing.vhdx'), "disk version $Version")
                Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false @Extra
            }
            function Get-TextSha256 {
                param([string] $Text)
                $sha = [System.Security.Cryptography.SHA256]::Create()
                try { ([System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)))).Replace('-', '').ToLowerInvariant() } finally { $sha.Dispose() }
            }
            function Get-TreeListing {
                param([string] $Root)
                @(Get-ChildItem -LiteralPath $Root -Recurse -Force | ForEach-Object { '{0} {1}' -f $_.FullName, $(if ($_.PSIsContainer) { 'dir' } else { $_.Length }) } | Sort-Object)
            }
            function Get-FolderBytes {
                param([string] $Path)
                [long](@(Get-ChildItem -LiteralPath $Path -Recurse -File -Force | Measure-Object -Property Length -Sum).Sum)
            }
            function Get-SetName {
                param([string] $Destination)
                @(Get-ChildItem -LiteralPath (Join-Path $Destination 'sets') -Directory | ForEach-Object Name | Sort-Object)
            }
        }

        BeforeEach {
            $share = Join-Path $TestDrive ('keep-share' + [guid]::NewGuid().ToString('N'))
            New-RetentionShare -Root $share
            $destination = Join-Path $TestDrive ("keep it's [1];" + [guid]::NewGuid().ToString('N'))
            $runs = @(foreach ($version in 'v1', 'v2', 'v3') { Invoke-RetentionBackup -Share $share -Destination $destination -Version $version })
        }

        It 'keeps the newest N complete sets, removes older sets and the files only they used, and reports it' {
            $removedBytes = (Get-FolderBytes $runs[0].SetPath) + (Get-FolderBytes $runs[1].SetPath)
            foreach ($version in 'v1', 'v2') { $removedBytes += (Get-Item -LiteralPath (Get-ObjectPath $destination (Get-TextSha256 "disk version $version"))).Length }
            $result = Invoke-RetentionBackup -Share $share -Destination $destination -Version 'v4' -Extra @{ KeepSets = 2 }
            Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmLibraryShare'
            $result.Pruned | Should -Be 2
            $result.FreedBytes | Should -Be $removedBytes
            Get-SetName $destination | Should -Be @((Split-Path $runs[2].SetPath -Leaf), (Split-Path $result.SetPath -Leaf))
            foreach ($version in 'v1', 'v2') { Test-Path -LiteralPath (Get-ObjectPath $destination (Get-TextSha256 "disk version $version")) | Should -BeFalse }
            foreach ($text in 'disk version v3', 'disk version v4', 'stable image', 'stable driver') { Test-Path -LiteralPath (Get-ObjectPath $destination (Get-TextSha256 $text)) | Should -BeTrue }
            foreach ($kept in $runs[2].SetPath, $result.SetPath) { (Test-VmmBackup -Path $kept).State | Should -Be 'Good' }
            (Test-VmmBackup -Path $destination).Path | Should -Be $result.SetPath
            # Without -KeepSets nothing is removed.
            $plain = Invoke-RetentionBackup -Share $share -Destination $destination -Version 'v5'
            $plain.Pruned | Should -Be 0
            $plain.FreedBytes | Should -Be 0
            @(Get-SetName $destination).Count | Should -Be 3
        }

        It 'never removes the newest complete set nor the set just written, even when the clock went back' {
            # A set named in the future is the newest complete one; the set written now is older by name.
            $future = Join-Path (Join-Path $destination 'sets') '29991231_235959'
            [System.IO.Directory]::Move($runs[2].SetPath, $future)
            $result = Invoke-RetentionBackup -Share $share -Destination $destination -Version 'v4' -Extra @{ KeepSets = 1 }
            $result.Pruned | Should -Be 2
            Get-SetName $destination | Should -Be @((Split-Path $result.SetPath -Leaf), '29991231_235959')
            (Test-VmmBackup -Path $future).State | Should -Be 'Good'
            (Test-VmmBackup -Path $result.SetPath).State | Should -Be 'Good'
        }

        It 'removes nothing with -WhatIf, and shows what it would remove' {
            $before = Get-TreeListing $destination
            $transcript = Join-Path $TestDrive ('whatif' + [guid]::NewGuid().ToString('N') + '.txt')
            $null = Start-Transcript -LiteralPath $transcript
            try {
                [System.IO.File]::WriteAllText((Join-Path $share 'changing.vhdx'), 'disk version v4')
                $result = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 1 -WhatIf
            } finally {
                $null = Stop-Transcript
            }
            $result | Should -BeNullOrEmpty
            Get-TreeListing $destination | Should -Be $before
            $shown = [System.IO.File]::ReadAllText($transcript)
            foreach ($old in $runs) {
                $shown | Should -BeLike ('*Remove library backup set*' + (Split-Path $old.SetPath -Leaf) + '*')
            }
            # v1, v2, v3 of the changing disk and the two stable files: the preview cannot know which the new set reuses.
            $shown | Should -BeLike '*Remove up to 5 stored files that no kept backup set references*'
        }

        It 'never removes an unfinished set a later run could resume, nor a file its journal names' {
            # An unfinished set (journal, no manifest), newest, so the next run resumes it; its journal names a
            # stored file no manifest names, and a damaged line names another.
            $unfinished = Join-Path (Join-Path $destination 'sets') '29990101_000000'
            $null = New-Item -ItemType Directory -Path $unfinished
            $journaled = Get-TextSha256 'journaled only'
            $damagedLine = Get-TextSha256 'named on a damaged line'
            foreach ($pair in @(@($journaled, 'journaled only'), @($damagedLine, 'named on a damaged line'))) {
                $null = New-Item -ItemType Directory -Path (Split-Path (Get-ObjectPath $destination $pair[0]) -Parent) -Force
                [System.IO.File]::WriteAllText((Get-ObjectPath $destination $pair[0]), $pair[1])
            }
            $v1 = Get-TextSha256 'disk version v1'
            $journal = '{"s":"' + $share.Replace('\', '\\') + '","p":"new.vhdx","l":14,"m":1,"h":"' + $journaled + '"}' + "`n" +
                '{"s":"x","p":"old.vhdx","l":15,"m":1,"h":"' + $v1 + '"}' + "`n" + '{"s":"x","p":"cut' + $damagedLine + "`n"
            [System.IO.File]::WriteAllText((Join-Path $unfinished 'journal.jsonl'), $journal)
            $result = & (Get-Module VmmBackup) { param($Destination) Invoke-VmmLibraryRetention -Destination $Destination -KeepSets 1 -Confirm:$false } $destination
            $result.Pruned | Should -Be 2
            Get-SetName $destination | Should -Be @((Split-Path $runs[2].SetPath -Leaf), '29990101_000000')
            [System.IO.File]::ReadAllText((Join-Path $unfinished 'journal.jsonl')) | Should -Be $journal
            foreach ($hash in $journaled, $damagedLine, $v1) { Test-Path -LiteralPath (Get-ObjectPath $destination $hash) | Should -BeTrue }
            Test-Path -LiteralPath (Get-ObjectPath $destination (Get-TextSha256 'disk version v2')) | Should -BeFalse
            (Test-VmmBackup -Path $runs[2].SetPath).State | Should -Be 'Good'
        }

        It 'keeps an old set whose manifest is damaged, reports it, and keeps every stored file' {
            [System.IO.File]::WriteAllText($runs[0].ManifestPath, '{ "Format": "VmmBackup.LibraryManifest", truncated')
            $objectsBefore = @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File | ForEach-Object Name | Sort-Object)
            [System.IO.File]::WriteAllText((Join-Path $share 'changing.vhdx'), 'disk version v4')
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 1 -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Pruned | Should -Be 2
            Get-SetName $destination | Should -Be @((Split-Path $runs[0].SetPath -Leaf), (Split-Path $result.SetPath -Leaf))
            "$warnings" | Should -BeLike "*$(Split-Path $runs[0].SetPath -Leaf)*damaged manifest*"
            "$warnings" | Should -BeLike '*No stored file was removed*'
            foreach ($name in $objectsBefore) { @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects') -Recurse -File -Filter $name).Count | Should -Be 1 }
            (Test-VmmBackup -Path $result.SetPath).State | Should -Be 'Good'
        }

        It 'finishes a removal that was killed after the set was renamed, which no listing shows meanwhile' {
            $renamed = $runs[0].SetPath + '.removing'
            [System.IO.Directory]::Move($runs[0].SetPath, $renamed)
            [System.IO.File]::Delete((Join-Path $renamed 'manifest.json'))   # killed in the middle of the delete
            (Test-VmmBackup -Path $destination).Path | Should -Be $runs[2].SetPath
            $again = Invoke-RetentionBackup -Share $share -Destination $destination -Version 'v3' -Extra @{ KeepSets = 3 }
            $again.Resumed | Should -Be 0
            $again.Pruned | Should -Be 0   # the set was removed by the killed run; this one frees what is left
            $again.FreedBytes | Should -Be ([System.Text.Encoding]::UTF8.GetByteCount('disk version v1'))
            Test-Path -LiteralPath $renamed | Should -BeFalse
            Test-Path -LiteralPath (Get-ObjectPath $destination (Get-TextSha256 'disk version v1')) | Should -BeFalse
            foreach ($kept in $runs[1].SetPath, $runs[2].SetPath, $again.SetPath) { (Test-VmmBackup -Path $kept).State | Should -Be 'Good' }
        }

        It 'removes nothing when the new set misses files it could not read' {
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $share 'dangling.vhd') -Target (Join-Path $TestDrive 'missing-target.vhd')
            $before = @(Get-SetName $destination)
            [System.IO.File]::WriteAllText((Join-Path $share 'changing.vhdx'), 'disk version v4')
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 1 -Confirm:$false -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Failed | Should -Be 1
            $result.Pruned | Should -Be 0
            @(Get-SetName $destination) | Should -Be @($before + (Split-Path $result.SetPath -Leaf))
            "$warnings" | Should -BeLike '*No backup set was removed*'
        }

        It 'is applied to the library sets of Invoke-VmmBackup by -KeepLibrarySets' {
            Reset-VmmStub
            $script:retentionShare = $share
            Set-VmmStubBehavior Get-SCLibraryShare { New-VmmStubObject LibraryShare @{ Path = $script:retentionShare; Name = 'MSSCVMMLibrary' } }
            $root = Join-Path $TestDrive ("plan it's [1];" + [guid]::NewGuid().ToString('N'))
            $skip = 'backup.database', 'backup.registry', 'backup.inventory', 'backup.vm-configuration'
            $null = Invoke-VmmBackup -Destination $root -Skip $skip -VMMServer 'vmm01' -Confirm:$false
            [System.IO.File]::WriteAllText((Join-Path $share 'changing.vhdx'), 'disk version v4')
            $results = @(Invoke-VmmBackup -Destination $root -Skip $skip -VMMServer 'vmm01' -KeepLibrarySets 1 -Confirm:$false)
            ($results | Where-Object Id -EQ 'backup.library').State | Should -Be 'Succeeded'
            $library = Join-Path $root 'library'
            @(Get-SetName $library).Count | Should -Be 1
            Test-Path -LiteralPath (Get-ObjectPath $library (Get-TextSha256 'disk version v3')) | Should -BeFalse
            (Test-VmmBackup -Path $library).State | Should -Be 'Good'
        }

        It 'counts only good sets: a set of an emptied share removes nothing and stays while it is newer than the kept good sets' {
            $moved = Join-Path $TestDrive ('moved' + [guid]::NewGuid().ToString('N'))
            Move-Item -LiteralPath $share -Destination $moved
            $null = New-Item -ItemType Directory -Path $share
            $empty = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 1 -Confirm:$false -WarningVariable emptyWarnings -WarningAction SilentlyContinue
            $empty.State | Should -Be 'Missing'
            $empty.Files | Should -Be 0
            $empty.Pruned | Should -Be 0
            "$emptyWarnings" | Should -BeLike '*holds no file*No backup set was removed*'
            @(Get-SetName $destination).Count | Should -Be 4
            (Test-VmmBackup -Path $destination).State | Should -Be 'Missing'

            Remove-Item -LiteralPath $share
            Move-Item -LiteralPath $moved -Destination $share
            [System.IO.File]::WriteAllText((Join-Path $share 'changing.vhdx'), 'disk version v4')
            $result = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 2 -Confirm:$false -WarningVariable keptWarnings -WarningAction SilentlyContinue
            $result.State | Should -Be 'Good'
            $result.Pruned | Should -Be 2
            Get-SetName $destination | Should -Be @((Split-Path $runs[2].SetPath -Leaf), (Split-Path $empty.SetPath -Leaf), (Split-Path $result.SetPath -Leaf))
            "$keptWarnings" | Should -BeLike "*$(Split-Path $empty.SetPath -Leaf)*not counted by -KeepSets: it holds no file*"
            foreach ($kept in $runs[2].SetPath, $result.SetPath) { (Test-VmmBackup -Path $kept).State | Should -Be 'Good' }
        }

        It 'refuses a KeepSets out of 1..3650' {
            { Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 0 -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-SetName $destination).Count | Should -Be 3
        }
    }

    Context 'retention interrupted by kill -9 during the sweep of stored files' {
        BeforeAll {
            $share = Join-Path $TestDrive 'sweep-share'
            $destination = Join-Path $TestDrive "sweep backup it's [1];"
            $null = New-Item -ItemType Directory -Path (Join-Path $share 'bulk') -Force
            $count = 40
            $writeAll = {
                param([string] $Tag)
                for ($i = 0; $i -lt $count; $i++) { [System.IO.File]::WriteAllText((Join-Path $share ('bulk/f{0:D2}.vhdx' -f $i)), "bulk $Tag $i") }
            }
            & $writeAll 'A'
            $first = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
            $onlyFirst = @(for ($i = 0; $i -lt $count; $i++) {
                    $sha = [System.Security.Cryptography.SHA256]::Create()
                    try { $hash = ([System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes("bulk A $i")))).Replace('-', '').ToLowerInvariant() } finally { $sha.Dispose() }
                    Get-ObjectPath $destination $hash
                })
            & $writeAll 'B'
            $second = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false

            # Another process backs up again with -KeepSets 2 (removing the first set, then its 40 stored files),
            # each removal slowed down, and is killed once it has removed some of the files but not all.
            $childScript = Join-Path $TestDrive 'retention-child.ps1'
            [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination)
Import-Module $Module -Force
& (Get-Module VmmBackup) {
    function script:Remove-VmmLibraryObjectFile {
        param([System.IO.FileInfo] $File)
        $length = $File.Length
        $File.Delete()
        Start-Sleep -Milliseconds 40
        $length
    }
}
Backup-VmmLibraryShare -Path $Share -Destination $Destination -KeepSets 2 -Confirm:$false | Out-Null
'@)
            $child = Start-TestBackupProcess -Script $childScript -Share $share -Destination $destination
            $childExitedFirst = $false
            $deadline = (Get-Date).AddSeconds(240)
            while ((Get-Date) -lt $deadline) {
                if ($child.HasExited) { $childExitedFirst = $true; break }
                $left = @($onlyFirst | Where-Object { [System.IO.File]::Exists($_) }).Count
                if ($left -le $count - 3) { break }
                Start-Sleep -Milliseconds 10
            }
            if (-not $child.HasExited) { $child.Kill() }
            $child.WaitForExit()
            $leftAtKill = @($onlyFirst | Where-Object { [System.IO.File]::Exists($_) })
            $setsAtKill = @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Directory | ForEach-Object Name | Sort-Object)
        }

        It 'was killed in the middle of the sweep, after the set was removed and the new set committed' {
            $childExitedFirst | Should -BeFalse
            $leftAtKill.Count | Should -BeGreaterThan 0
            $leftAtKill.Count | Should -BeLessThan $count
            $setsAtKill.Count | Should -Be 2
            $setsAtKill | Should -Not -Contain (Split-Path $first.SetPath -Leaf)
            $setsAtKill[0] | Should -Be (Split-Path $second.SetPath -Leaf)
        }

        It 'leaves every kept set verifiable' {
            foreach ($name in $setsAtKill) {
                (Test-VmmBackup -Path (Join-Path (Join-Path $destination 'sets') $name)).State | Should -Be 'Good'
            }
            (Test-VmmBackup -Path $destination).Path | Should -Be (Join-Path (Join-Path $destination 'sets') $setsAtKill[1])
        }

        It 'completes the pruning on the next run' {
            $leftBytes = [long](@($leftAtKill | ForEach-Object { (Get-Item -LiteralPath $_).Length } | Measure-Object -Sum).Sum)
            $again = Backup-VmmLibraryShare -Path $share -Destination $destination -KeepSets 3 -Confirm:$false
            $again.Pruned | Should -Be 0
            $again.FreedBytes | Should -Be $leftBytes
            @($onlyFirst | Where-Object { [System.IO.File]::Exists($_) }).Count | Should -Be 0
            foreach ($name in @($setsAtKill + (Split-Path $again.SetPath -Leaf))) {
                (Test-VmmBackup -Path (Join-Path (Join-Path $destination 'sets') $name)).State | Should -Be 'Good'
            }
        }
    }
}

Describe 'Backup-VmmLibraryShare interrupted by kill -9' {
    BeforeAll {
        $share = Join-Path $TestDrive 'big-share'
        $destination = Join-Path $TestDrive 'big-backup'
        $null = New-Item -ItemType Directory -Path (Join-Path $share 'VHDs') -Force
        $random = New-Object System.Random 11
        $bytes = New-Object byte[] 393216
        Write-RandomFile -Format (Join-Path $share "VHDs/base{0:D3}.vhdx") -Count 20 -Buffer $bytes -Random $random
        # The last good set.
        $good = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $goodManifestHash = Get-Sha256 $good.ManifestPath
        # Many more files, then a backup in another process, killed once it has copied some of them.
        Write-RandomFile -Format (Join-Path $share "VHDs/new{0:D3}.vhdx") -Count 220 -Buffer $bytes -Random $random
        $childScript = Join-Path $TestDrive 'child.ps1'
        [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination)
Import-Module $Module -Force
Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false | Out-Null
'@)
        $child = Start-TestBackupProcess -Script $childScript -Share $share -Destination $destination
        $journalLines = 0
        $deadline = (Get-Date).AddSeconds(240)
        $childExitedFirst = $false
        while ((Get-Date) -lt $deadline) {
            if ($child.HasExited) { $childExitedFirst = $true; break }
            $journal = @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Recurse -Filter 'journal.jsonl' -ErrorAction SilentlyContinue) | Select-Object -First 1
            if ($null -ne $journal) {
                $stream = [System.IO.FileStream]::new($journal.FullName, 'Open', 'Read', 'ReadWrite')
                try { $text = (New-Object System.IO.StreamReader $stream).ReadToEnd() } finally { $stream.Dispose() }
                $journalLines = ($text.ToCharArray() | Where-Object { $_ -eq "`n" }).Count
                if ($journalLines -ge 12) { break }
            }
            Start-Sleep -Milliseconds 20
        }
        if (-not $child.HasExited) { $child.Kill() }
        $child.WaitForExit()
        $partialSet = Split-Path -Parent $journal.FullName
        $linesAtKill = @([System.IO.File]::ReadAllText($journal.FullName).Split("`n") | Where-Object { $_ -match '^\{.*\}$' }).Count
    }

    It 'was killed in the middle of the copy' {
        $childExitedFirst | Should -BeFalse
        $journalLines | Should -BeGreaterOrEqual 12
        Test-Path -LiteralPath (Join-Path $partialSet 'manifest.json') | Should -BeFalse
    }

    It 'leaves the last good set intact, verifiable and still the one reported' {
        Get-Sha256 $good.ManifestPath | Should -Be $goodManifestHash
        $check = Test-VmmBackup -Path $destination
        $check.State | Should -Be 'Good'
        $check.Path | Should -Be $good.SetPath
    }

    It 'never reports the partial set Good' {
        (Test-VmmBackup -Path $partialSet).State | Should -Be 'Missing'
        { Restore-VmmLibraryShare -BackupSet $partialSet -Destination $TestDrive -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.IncompleteBackupSet*'
    }

    It 'resumes on the next run without copying again what the killed run finished, and completes a good set' {
        $resumed = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $resumed.SetPath | Should -Be $partialSet
        $resumed.Resumed | Should -BeGreaterOrEqual $linesAtKill
        $resumed.Skipped | Should -Be 20
        $resumed.Copied | Should -Be (240 - 20 - $resumed.Resumed)
        $resumed.Files | Should -Be 240
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'objects/tmp') -File).Count | Should -Be 0
        $check = Test-VmmBackup -Path $destination
        $check.State | Should -Be 'Good'
        $check.Path | Should -Be $partialSet

        $restored = Join-Path $TestDrive 'restored'
        $null = New-Item -ItemType Directory -Path $restored
        $restore = Restore-VmmLibraryShare -BackupSet $destination -Destination $restored -Confirm:$false -WarningAction SilentlyContinue
        $restore.Verified | Should -BeTrue
        $restore.Files | Should -Be 240
        foreach ($name in 'VHDs/base000.vhdx', 'VHDs/new000.vhdx', 'VHDs/new219.vhdx') {
            Get-Sha256 (Join-Path $restored $name) | Should -Be (Get-Sha256 (Join-Path $share $name))
        }
    }
}

Describe 'Backup-VmmLibraryShare resumed after kill -9, with the store and the sources changed meanwhile' {
    BeforeAll {
        $share = Join-Path $TestDrive 'resume-share'
        $destination = Join-Path $TestDrive "resume backup it's [1];"
        $null = New-Item -ItemType Directory -Path (Join-Path $share 'VHDs') -Force
        $random = New-Object System.Random 21
        $bytes = New-Object byte[] 131072
        Write-RandomFile -Format (Join-Path $share 'VHDs/disk{0:D3}.vhdx') -Count 40 -Buffer $bytes -Random $random
        # A backup in another process, each copy slowed down, killed once it has journaled some files.
        $childScript = Join-Path $TestDrive 'resume-child.ps1'
        [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination)
Import-Module $Module -Force
& (Get-Module VmmBackup) {
    $script:OriginalEngine = ${function:New-VmmCopyEngine}
    function script:New-VmmCopyEngine {
        param([string] $Kind, [string] $ObjectsRoot, [string] $TemporaryRoot, [switch] $IgnoreCase, [switch] $Force)
        $engine = & $script:OriginalEngine @PSBoundParameters; $engine.FileDelayMilliseconds = 60; $engine
    }
}
Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false | Out-Null
'@)
        $child = Start-TestBackupProcess -Script $childScript -Share $share -Destination $destination
        $childExitedFirst = $false
        $journalPath = $null
        $deadline = (Get-Date).AddSeconds(60)
        while ((Get-Date) -lt $deadline) {
            if ($child.HasExited) { $childExitedFirst = $true; break }
            $journal = @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Recurse -Filter 'journal.jsonl' -ErrorAction SilentlyContinue) | Select-Object -First 1
            if ($null -ne $journal) {
                $journalPath = $journal.FullName
                $stream = [System.IO.FileStream]::new($journalPath, 'Open', 'Read', 'ReadWrite')
                try { $text = (New-Object System.IO.StreamReader $stream).ReadToEnd() } finally { $stream.Dispose() }
                if (@($text.Split("`n") | Where-Object { $_ -match '^\{.*\}$' }).Count -ge 8) { break }
            }
            Start-Sleep -Milliseconds 20
        }
        if (-not $child.HasExited) { $child.Kill() }
        $child.WaitForExit()
        $partialSet = Split-Path -Parent $journalPath
        $records = @([System.IO.File]::ReadAllText($journalPath).Split("`n") | Where-Object { $_ -match '^\{.*\}$' } | ForEach-Object { $_ | ConvertFrom-Json })
        $sourceOf = { param($Record) Join-Path $share ([string]$Record.p) }
        $objectOf = { param([string] $Hash) Join-Path (Join-Path (Join-Path $destination 'objects') $Hash.Substring(0, 2)) $Hash }

        # Between the kill and the resume: a stored file cut short under its final name (as a crash of the disk
        # cache leaves it), a source given new content of the same size and its old time back, and a source
        # given new content of another size and its old time back.
        $truncated = $records[0]
        $object = & $objectOf ([string]$truncated.h)
        $full = [System.IO.File]::ReadAllBytes($object)
        [System.IO.File]::WriteAllBytes($object, $full[0..($full.Length / 2 - 1)])
        $sameSize = $records[1]
        $sameSizePath = & $sourceOf $sameSize
        $time = (Get-Item -LiteralPath $sameSizePath).LastWriteTimeUtc
        $random.NextBytes($bytes)
        [System.IO.File]::WriteAllBytes($sameSizePath, $bytes)
        (Get-Item -LiteralPath $sameSizePath).LastWriteTimeUtc = $time
        $otherSize = $records[2]
        $otherSizePath = & $sourceOf $otherSize
        $time = (Get-Item -LiteralPath $otherSizePath).LastWriteTimeUtc
        [System.IO.File]::WriteAllBytes($otherSizePath, [byte[]]@(1, 2, 3))
        (Get-Item -LiteralPath $otherSizePath).LastWriteTimeUtc = $time

        $manifestAtKill = Test-Path -LiteralPath (Join-Path $partialSet 'manifest.json')
        $resumed = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $manifest = Get-Manifest $resumed.ManifestPath
    }

    It 'was killed in the middle of the copy, with the changes made to journaled files' {
        $childExitedFirst | Should -BeFalse
        $records.Count | Should -BeGreaterOrEqual 8
        $manifestAtKill | Should -BeFalse
        (Get-Item -LiteralPath $sameSizePath).Length | Should -Be ([long]$sameSize.l)
        [long][math]::Floor(((Get-Item -LiteralPath $sameSizePath).LastWriteTimeUtc - [datetime]::new(1970, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)).TotalMilliseconds) | Should -Be ([long]$sameSize.m)
        (Get-Sha256 $sameSizePath) | Should -Not -Be $sameSize.h
    }

    It 'completes the interrupted set, copying again the file whose stored copy was cut short' {
        $resumed.SetPath | Should -Be $partialSet
        $resumed.State | Should -Be 'Good'
        $resumed.Resumed | Should -Be ($records.Count - 3)
        (Get-Item -LiteralPath $object).Length | Should -Be $full.Length
        Get-Sha256 $object | Should -Be $truncated.h
    }

    It 'records the new content of the source changed with the same size and time' {
        $entry = $manifest.Files | Where-Object Path -EQ $sameSize.p
        $entry.Sha256 | Should -Be (Get-Sha256 $sameSizePath)
        Get-Sha256 (& $objectOf $entry.Sha256) | Should -Be $entry.Sha256
    }

    It 'records the new content of the source changed to another size' {
        $entry = $manifest.Files | Where-Object Path -EQ $otherSize.p
        $entry.Length | Should -Be 3
        $entry.Sha256 | Should -Be (Get-Sha256 $otherSizePath)
    }

    It 'ends in a Good set that restores every file as it is now on the share' {
        (Test-VmmBackup -Path $destination).State | Should -Be 'Good'
        $restored = Join-Path $TestDrive 'resume-restored'
        $null = New-Item -ItemType Directory -Path $restored
        $restore = Restore-VmmLibraryShare -BackupSet $destination -Destination $restored -Confirm:$false
        $restore.Verified | Should -BeTrue
        $restore.Files | Should -Be 40
        foreach ($file in Get-ChildItem -LiteralPath (Join-Path $share 'VHDs') -File) {
            Get-Sha256 (Join-Path $restored ('VHDs/' + $file.Name)) | Should -Be (Get-Sha256 $file.FullName)
        }
    }
}

Describe 'Backup-VmmLibraryShare started twice at once, in two processes' {
    BeforeAll {
        $share = Join-Path $TestDrive 'busy-share'
        $destination = Join-Path $TestDrive 'busy-backup'
        $null = New-Item -ItemType Directory -Path $share -Force
        $bytes = New-Object byte[] 65536
        $random = New-Object System.Random 5
        Write-RandomFile -Format (Join-Path $share 'disk{0:D2}.vhdx') -Count 30 -Buffer $bytes -Random $random
        # Each process imports the module, says it is ready, waits for its go, backs up, and writes what
        # happened to a file: 'done' or the FullyQualifiedErrorId of its failure.
        $childScript = Join-Path $TestDrive 'busy-child.ps1'
        [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination, [string] $Result, [int] $DelayMs)
Import-Module $Module -Force
# Ready means ready to back up: the store's code is compiled (once per session) before the go.
& (Get-Module VmmBackup) { $null = Get-VmmLibraryStoreType }
[System.IO.File]::WriteAllText($Result + '.ready', '')
while (-not [System.IO.File]::Exists($Result + '.go')) { Start-Sleep -Milliseconds 10 }
if ($DelayMs -gt 0) {
    & (Get-Module VmmBackup) {
        param($Delay)
        $script:OriginalEngine = ${function:New-VmmCopyEngine}
        $script:CopyDelay = $Delay
        function script:New-VmmCopyEngine {
            param([string] $Kind, [string] $ObjectsRoot, [string] $TemporaryRoot, [switch] $IgnoreCase, [switch] $Force)
            $engine = & $script:OriginalEngine @PSBoundParameters; $engine.FileDelayMilliseconds = $script:CopyDelay; $engine
        }
    } $DelayMs
}
try {
    $null = Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false -ErrorAction Stop
    [System.IO.File]::WriteAllText($Result, 'done')
} catch {
    [System.IO.File]::WriteAllText($Result, $_.FullyQualifiedErrorId)
}
'@)
        $startChild = {
            param([string] $Result, [int] $DelayMs)
            Start-TestBackupProcess -Script $childScript -Share $share -Destination $destination -More @('-Result', $Result, '-DelayMs', $DelayMs)
        }
        $firstResult = Join-Path $TestDrive 'first.txt'
        $secondResult = Join-Path $TestDrive 'second.txt'
        $first = & $startChild $firstResult 300
        $second = & $startChild $secondResult 0
        $deadline = (Get-Date).AddSeconds(120)
        while ((Get-Date) -lt $deadline -and -not ([System.IO.File]::Exists($firstResult + '.ready') -and [System.IO.File]::Exists($secondResult + '.ready'))) { Start-Sleep -Milliseconds 20 }
        [System.IO.File]::WriteAllText($firstResult + '.go', '')
        # The second goes once the first is copying (it has journaled a file, so it holds the lock).
        while ((Get-Date) -lt $deadline -and -not $first.HasExited) {
            $journal = @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Recurse -Filter 'journal.jsonl' -ErrorAction SilentlyContinue) | Select-Object -First 1
            if ($null -ne $journal -and $journal.Length -gt 0) { break }
            Start-Sleep -Milliseconds 20
        }
        [System.IO.File]::WriteAllText($secondResult + '.go', '')
        $second.WaitForExit()
        $firstRunningWhenSecondEnded = -not $first.HasExited
        $first.WaitForExit()
    }

    It 'lets exactly one run and refuses the other while the first is running' {
        $firstRunningWhenSecondEnded | Should -BeTrue
        [System.IO.File]::ReadAllText($firstResult) | Should -Be 'done'
        [System.IO.File]::ReadAllText($secondResult) | Should -BeLike 'VmmBackup.DestinationBusy*'
    }

    It 'leaves one Good set, written by the first' {
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'sets') -Directory).Count | Should -Be 1
        $check = Test-VmmBackup -Path $destination
        $check.State | Should -Be 'Good'
        (Get-Manifest (Join-Path $check.Path 'manifest.json')).Files.Count | Should -Be 30
    }
}
