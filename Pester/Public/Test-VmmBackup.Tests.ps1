<#
    Test-VmmBackup against real backup sets laid out as Invoke-VmmBackup writes them, and against library
    destinations of Backup-VmmLibraryShare: Good, Stale, Missing and Corrupt for each item.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    $script:regText = @(
        'Windows Registry Editor Version 5.00'
        ''
        '[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings]'
        '"IndigoTcpPort"=dword:00001fa4'
        '"LibraryPath"="C:\\ProgramData\\Virtual Machine Manager Library Files"'
        '"Blob"=hex:01,02,\'
        '  03,04'
        ''
    ) -join "`r`n"

    function New-RunSet {
        <# A run as Invoke-VmmBackup lays it out, with a real library set and backup-set.json. #>
        param([string] $Root, [string] $Name = '20261126_020000', [switch] $NoManifest, [switch] $NoVerificationRecord)
        $set = Join-Path $Root $Name
        foreach ($folder in 'database', 'registry', 'inventory', 'vmconfig/hv01/vm01') { $null = New-Item -ItemType Directory -Path (Join-Path $set $folder) -Force }
        $bak = New-Object byte[] 4096
        (New-Object System.Random 3).NextBytes($bak)
        [System.Text.Encoding]::ASCII.GetBytes('TAPE').CopyTo($bak, 0)
        [System.IO.File]::WriteAllBytes((Join-Path $set 'database/VirtualManagerDB_20261126_020000.bak'), $bak)
        if (-not $NoVerificationRecord) { New-TestVerificationRecord -Path (Join-Path $set 'database/VirtualManagerDB_20261126_020000.bak') }
        [System.IO.File]::WriteAllText((Join-Path $set 'registry/VmmSettings_20261126_020000.reg'), $script:regText, [System.Text.Encoding]::Unicode)
        [System.IO.File]::WriteAllText((Join-Path $set 'inventory/VmmInventory_20261126_020000.json'), '{"SchemaVersion":1,"Hosts":[]}')
        [System.IO.File]::WriteAllText((Join-Path $set "vmconfig/hv01/vm01/A1B2;'[x].vmcx"), 'vm configuration')
        $share = Join-Path $Root 'share'
        $null = New-Item -ItemType Directory -Path $share -Force
        [System.IO.File]::WriteAllText((Join-Path $share "base's [1];.vhdx"), 'disk')
        $library = Backup-VmmLibraryShare -Path $share -Destination (Join-Path $Root 'library') -Confirm:$false
        if (-not $NoManifest) {
            InModuleScope VmmBackup -Parameters @{ Set = $set; Library = ('library/sets/' + (Split-Path $library.SetPath -Leaf)) } {
                $items = @([pscustomobject]@{ Id = 'backup.database'; State = 'Succeeded'; Output = 'x'; Message = $null })
                $null = Write-VmmBackupSetManifest -SetPath $Set -StartTime (Get-Date) -EndTime (Get-Date) -VMMServer 'vmm01' -Items $items -LibrarySet $Library
            }
        }
        @{ Set = $set; Library = $library }
    }

    function Get-Row {
        param($Rows, [string] $Item)
        $found = @($Rows | Where-Object { $_.Item -eq $Item })
        if ($found.Count -ne 1) { throw "expected one $Item row, got $($found.Count)" }
        $found[0]
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Test-VmmBackup' {
    BeforeEach {
        $root = Join-Path $TestDrive ("vmm backup;[x]'" + [guid]::NewGuid().ToString('N'))
        $run = New-RunSet -Root $root
    }

    It 'reports every item of a complete run Good, with the schema of its output' {
        $rows = @(Test-VmmBackup -Path $run.Set)
        @($rows | ForEach-Object { $_.Item }) | Should -Be @('Set', 'Database', 'Registry', 'Inventory', 'VMConfiguration', 'Library')
        foreach ($row in $rows) {
            $row.State | Should -Be 'Good' -Because "$($row.Item): $($row.Detail)"
            Assert-VmmOutputSchema -InputObject $row -CmdletName 'Test-VmmBackup'
        }
        (Get-Row $rows 'Library').Path | Should -Be $run.Library.SetPath
        (Get-Row $rows 'Database').Path | Should -BeLike '*VirtualManagerDB_20261126_020000.bak'
    }

    It 'finds the newest complete run under the destination, ignoring a run that did not finish' {
        $unfinished = Join-Path $root '20991231_235959'
        $null = New-Item -ItemType Directory -Path (Join-Path $unfinished 'database') -Force
        $rows = @(Test-VmmBackup -Path $root)
        (Get-Row $rows 'Set').Path | Should -Be (Join-Path $run.Set 'backup-set.json')
        @($rows | Where-Object State -NE 'Good') | Should -BeNullOrEmpty
    }

    It 'reports Missing when the destination holds only a run that did not finish' {
        $empty = Join-Path $TestDrive ('empty' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path (Join-Path $empty '20261126_020000/database') -Force
        $rows = @(Test-VmmBackup -Path $empty)
        $rows.Count | Should -Be 1
        $rows[0].Item | Should -Be 'Set'
        $rows[0].State | Should -Be 'Missing'
        $rows[0].Detail | Should -BeLike '*did not finish*'
    }

    It 'reports items older than -MaxAgeHours as Stale' {
        Get-ChildItem -LiteralPath (Join-Path $run.Set 'database') -File | ForEach-Object { $_.LastWriteTime = (Get-Date).AddHours(-30) }
        $rows = @(Test-VmmBackup -Path $run.Set -MaxAgeHours 24)
        (Get-Row $rows 'Database').State | Should -Be 'Stale'
        (Get-Row $rows 'Registry').State | Should -Be 'Good'
        (Get-Row @(Test-VmmBackup -Path $run.Set -MaxAgeHours 48) 'Database').State | Should -Be 'Good'
    }

    It 'reports a database backup without the MTF TAPE header as Corrupt' {
        $bak = Join-Path $run.Set 'database/other.bak'
        [System.IO.File]::WriteAllText($bak, 'this is not a SQL Server backup')
        $row = Get-Row @(Test-VmmBackup -Path $run.Set) 'Database'
        $row.State | Should -Be 'Corrupt'
        $row.Detail | Should -BeLike '*TAPE*'
    }

    It 'reports a database backup with a TAPE header and a matching set hash but no RESTORE VERIFYONLY record as Unverified' {
        $run = New-RunSet -Root (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) -NoVerificationRecord
        $row = Get-Row @(Test-VmmBackup -Path $run.Set) 'Database'
        $row.State | Should -Be 'Unverified'
        $row.Detail | Should -BeLike '*no verification record*RESTORE VERIFYONLY*'
        $row.Detail | Should -BeLike '*Backup-VmmDatabase*'
    }

    It 'reports a database backup whose verification record names another file, size or hash as Unverified' -ForEach @(
        @{ Case = 'another file'; Forge = @{ File = 'VirtualManagerDB_20250101_000000.bak' }; Detail = "*is for 'VirtualManagerDB_20250101_000000.bak'*" }
        @{ Case = 'another size'; Forge = @{ SizeBytes = 4 }; Detail = '*changed after it was verified*' }
        @{ Case = 'another hash'; Forge = @{ Sha256 = ('0' * 64) }; Detail = '*SHA-256*changed after it was verified*' }
    ) {
        $bak = Join-Path $run.Set 'database/VirtualManagerDB_20261126_020000.bak'
        New-TestVerificationRecord -Path $bak @Forge
        $row = Get-Row @(Test-VmmBackup -Path $run.Set) 'Database'
        $row.State | Should -Be 'Unverified' -Because $Case
        $row.Detail | Should -BeLike $Detail
    }

    It 'reports an empty database backup as Corrupt and no database backup as Missing' {
        [System.IO.File]::WriteAllBytes((Join-Path $run.Set 'database/empty.bak'), [byte[]]@())
        (Get-Row @(Test-VmmBackup -Path $run.Set) 'Database').Detail | Should -BeLike '*empty*'
        Remove-Item -LiteralPath (Join-Path $run.Set 'database') -Recurse
        $rows = @(Test-VmmBackup -Path $run.Set)
        # The files listed in backup-set.json are gone too: Corrupt, not merely Missing.
        (Get-Row $rows 'Database').State | Should -Be 'Corrupt'
        $bare = New-RunSet -Root (Join-Path $TestDrive ('bare' + [guid]::NewGuid().ToString('N'))) -NoManifest
        Remove-Item -LiteralPath (Join-Path $bare.Set 'database') -Recurse
        (Get-Row @(Test-VmmBackup -Path $bare.Set) 'Database').State | Should -Be 'Missing'
    }

    It 'reports a registry export that is not UTF-16LE, or that does not parse, as Corrupt' {
        $reg = Join-Path $run.Set 'registry/VmmSettings_20261126_020000.reg'
        [System.IO.File]::WriteAllText($reg, $script:regText, (New-Object System.Text.UTF8Encoding $false))
        (Get-Row @(Test-VmmBackup -Path $run.Set) 'Registry').State | Should -Be 'Corrupt'

        $bare = New-RunSet -Root (Join-Path $TestDrive ('bare' + [guid]::NewGuid().ToString('N'))) -NoManifest
        $reg = Join-Path $bare.Set 'registry/VmmSettings_20261126_020000.reg'
        [System.IO.File]::WriteAllText($reg, $script:regText + "garbage line`r`n", [System.Text.Encoding]::Unicode)
        $row = Get-Row @(Test-VmmBackup -Path $bare.Set) 'Registry'
        $row.State | Should -Be 'Corrupt'
        $row.Detail | Should -BeLike '*does not parse*'
    }

    It 'reports a file that no longer matches its SHA-256 in backup-set.json as Corrupt' {
        [System.IO.File]::WriteAllText((Join-Path $run.Set 'inventory/VmmInventory_20261126_020000.json'), '{"SchemaVersion":1,"Hosts":[1]}')
        $row = Get-Row @(Test-VmmBackup -Path $run.Set) 'Inventory'
        $row.State | Should -Be 'Corrupt'
        $row.Detail | Should -BeLike '*SHA-256*'
    }

    It 'reports an inventory that is not JSON as Corrupt (without backup-set.json): <Case>' -ForEach @(
        @{ Case = 'truncated'; Text = '{ truncated' }
        @{ Case = 'empty (PowerShell 7 reads it as nothing, 5.1 fails)'; Text = '' }
        @{ Case = 'blank'; Text = "  `r`n" }
    ) {
        $bare = New-RunSet -Root (Join-Path $TestDrive ('bare' + [guid]::NewGuid().ToString('N'))) -NoManifest
        [System.IO.File]::WriteAllText((Join-Path $bare.Set 'inventory/VmmInventory_20261126_020000.json'), $Text)
        $rows = @(Test-VmmBackup -Path $bare.Set)
        (Get-Row $rows 'Inventory').State | Should -Be 'Corrupt'
        (Get-Row $rows 'Set').State | Should -Be 'Missing'
        (Get-Row $rows 'Library').State | Should -Be 'Good'
    }

    It 'reports a damaged backup-set.json as Corrupt' {
        $manifest = Join-Path $run.Set 'backup-set.json'
        $text = [System.IO.File]::ReadAllText($manifest)
        $text -match '"Length":\s*4096' | Should -BeTrue
        [System.IO.File]::WriteAllText($manifest, ($text -replace '"Length":(\s*)4096', '"Length":${1}4097'))
        (Get-Row @(Test-VmmBackup -Path $run.Set) 'Set').State | Should -Be 'Corrupt'
        [System.IO.File]::WriteAllText($manifest, 'garbage')
        (Get-Row @(Test-VmmBackup -Path $run.Set) 'Set').State | Should -Be 'Corrupt'
    }

    It 'reports a library file whose stored copy was damaged as Corrupt' {
        $entry = (Get-Content -Raw -LiteralPath $run.Library.ManifestPath | ConvertFrom-Json).Files[0]
        [System.IO.File]::WriteAllText((Join-Path $root "library/objects/$($entry.Sha256.Substring(0, 2))/$($entry.Sha256)"), 'DISK')
        $row = Get-Row @(Test-VmmBackup -Path $run.Set) 'Library'
        $row.State | Should -Be 'Corrupt'
        $row.Detail | Should -BeLike '*does not match its SHA-256*'
    }

    It 'reports the library Missing when the set the run recorded is gone' {
        Remove-Item -LiteralPath $run.Library.SetPath -Recurse
        (Get-Row @(Test-VmmBackup -Path $run.Set) 'Library').State | Should -Be 'Missing'
    }

    It 'checks a library destination: its newest complete set, never an interrupted one' {
        $libraryRoot = Join-Path $root 'library'
        $row = @(Test-VmmBackup -Path $libraryRoot)
        $row.Count | Should -Be 1
        $row[0].State | Should -Be 'Good'
        $partial = Join-Path $libraryRoot 'sets/20991231_235959'
        $null = New-Item -ItemType Directory -Path $partial
        [System.IO.File]::WriteAllText((Join-Path $partial 'journal.jsonl'), '')
        (Test-VmmBackup -Path $libraryRoot).Path | Should -Be $run.Library.SetPath
        (Test-VmmBackup -Path $partial).State | Should -Be 'Missing'
        (Test-VmmBackup -Path $run.Library.SetPath).State | Should -Be 'Good'
    }

    It 'reports a library set whose manifest is damaged as Corrupt' {
        [System.IO.File]::WriteAllText($run.Library.ManifestPath, '{"Format":"VmmBackup.LibraryManifest"}')
        $row = Test-VmmBackup -Path $run.Library.SetPath
        $row.State | Should -Be 'Corrupt'
        $row.Detail | Should -BeLike '*is missing*'
    }

    It 'refuses a root directory' {
        { Test-VmmBackup -Path '/' } | Should -Throw -ErrorId 'VmmBackup.RootBackupPath*'
    }

    It 'fails clearly for a path that does not exist' {
        { Test-VmmBackup -Path (Join-Path $TestDrive 'nowhere') } | Should -Throw -ErrorId 'VmmBackup.BackupPathNotFound*'
    }
}
