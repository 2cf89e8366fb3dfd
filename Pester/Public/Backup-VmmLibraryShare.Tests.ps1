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
}

Describe 'Backup-VmmLibraryShare interrupted by kill -9' {
    BeforeAll {
        $share = Join-Path $TestDrive 'big-share'
        $destination = Join-Path $TestDrive 'big-backup'
        $null = New-Item -ItemType Directory -Path (Join-Path $share 'VHDs') -Force
        $random = New-Object System.Random 11
        $bytes = New-Object byte[] 393216
        for ($i = 0; $i -lt 20; $i++) {
            $random.NextBytes($bytes)
            [System.IO.File]::WriteAllBytes((Join-Path $share ("VHDs/base{0:D3}.vhdx" -f $i)), $bytes)
        }
        # The last good set.
        $good = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $goodManifestHash = Get-Sha256 $good.ManifestPath
        # Many more files, then a backup in another process, killed once it has copied some of them.
        for ($i = 0; $i -lt 220; $i++) {
            $random.NextBytes($bytes)
            [System.IO.File]::WriteAllBytes((Join-Path $share ("VHDs/new{0:D3}.vhdx" -f $i)), $bytes)
        }
        $childScript = Join-Path $TestDrive 'child.ps1'
        [System.IO.File]::WriteAllText($childScript, @'
param([string] $Module, [string] $Share, [string] $Destination)
Import-Module $Module -Force
Backup-VmmLibraryShare -Path $Share -Destination $Destination -Confirm:$false | Out-Null
'@)
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = Join-Path $PSHOME 'pwsh'
        if (-not (Test-Path -LiteralPath $start.FileName)) { $start.FileName = Join-Path $PSHOME 'pwsh.exe' }
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $childScript, '-Module', (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1'), '-Share', $share, '-Destination', $destination)) {
            $start.ArgumentList.Add($argument)
        }
        $start.UseShellExecute = $false
        $child = [System.Diagnostics.Process]::Start($start)
        $journalLines = 0
        $deadline = (Get-Date).AddSeconds(60)
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
