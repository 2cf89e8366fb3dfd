<#
    Restore-VmmLibraryShare against real backup sets written by Backup-VmmLibraryShare: hash-verified restore,
    refusal of damaged or incomplete sets, -Force, -WhatIf, several shares, and the VMM refresh (stubs).
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function New-Share {
        param([string] $Root)
        $null = New-Item -ItemType Directory -Path (Join-Path $Root "ISO [x];it's") -Force
        $null = New-Item -ItemType Directory -Path (Join-Path $Root 'VHDs') -Force
        [System.IO.File]::WriteAllText((Join-Path $Root "ISO [x];it's/setup'];.iso"), 'iso image')
        [System.IO.File]::WriteAllText((Join-Path $Root 'VHDs/base.vhdx'), 'disk contents')
        [System.IO.File]::WriteAllText((Join-Path $Root 'deploy.ps1'), 'Write-Output 1')
        (Get-Item -LiteralPath (Join-Path $Root 'VHDs/base.vhdx')).LastWriteTimeUtc = [datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc)
    }

    function Get-Sha256 {
        param([string] $Path)
        (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    function Get-Tree {
        param([string] $Root)
        @(Get-ChildItem -LiteralPath $Root -Recurse -File | Sort-Object FullName | ForEach-Object { '{0}={1}' -f $_.FullName.Substring($Root.Length), (Get-Sha256 $_.FullName) })
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Restore-VmmLibraryShare' {
    BeforeEach {
        Reset-VmmStub
        $id = [guid]::NewGuid().ToString('N')
        $share = Join-Path $TestDrive "share $id"
        New-Share -Root $share
        $destination = Join-Path $TestDrive "backup;[$id]'"
        $backup = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $target = Join-Path $TestDrive "restored [$id];'"
        $null = New-Item -ItemType Directory -Path $target
    }

    It 'restores every file with its content and time, verified against the manifest' {
        $result = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false -WarningAction SilentlyContinue
        Get-Tree $target | Should -Be (Get-Tree $share)
        (Get-Item -LiteralPath (Join-Path $target 'VHDs/base.vhdx')).LastWriteTimeUtc | Should -Be ([datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc))
        $result.Restored | Should -Be 3
        $result.Files | Should -Be 3
        $result.Verified | Should -BeTrue
        $result.Share | Should -Be $share
        @(Get-ChildItem -LiteralPath $target -Recurse -File -Force | Where-Object Name -Like '*.vmmrestore.tmp').Count | Should -Be 0
        Assert-VmmOutputSchema -InputObject $result -CmdletName 'Restore-VmmLibraryShare'
    }

    It 'takes the newest complete set when given the backup destination' {
        [System.IO.File]::WriteAllText((Join-Path $share 'deploy.ps1'), 'Write-Output 2')
        $null = Backup-VmmLibraryShare -Path $share -Destination $destination -Confirm:$false
        $result = Restore-VmmLibraryShare -BackupSet $destination -Destination $target -Confirm:$false -WarningAction SilentlyContinue
        $result.BackupSet | Should -Not -Be $backup.SetPath
        [System.IO.File]::ReadAllText((Join-Path $target 'deploy.ps1')) | Should -Be 'Write-Output 2'
    }

    It 'changes nothing with -WhatIf and asks VMM for nothing' {
        $result = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -WhatIf
        $result | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $target -Recurse -Force).Count | Should -Be 0
        Get-VmmStubCall -CommandName Read-SCLibraryShare | Should -BeNullOrEmpty
    }

    It 'leaves identical files alone and does not overwrite a differing file without -Force' {
        $null = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false -WarningAction SilentlyContinue
        [System.IO.File]::WriteAllText((Join-Path $target 'deploy.ps1'), 'changed on the share')
        $output = @(Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Continue 2>&1)
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'VmmBackup.FileDiffers*'
        [System.IO.File]::ReadAllText((Join-Path $target 'deploy.ps1')) | Should -Be 'changed on the share'
        $result.Identical | Should -Be 2
        $result.Restored | Should -Be 0
        $result.Failed | Should -Be 1
        $result.Verified | Should -BeFalse

        $forced = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Force -Confirm:$false -WarningAction SilentlyContinue
        $forced.Restored | Should -Be 1
        $forced.Verified | Should -BeTrue
        Get-Tree $target | Should -Be (Get-Tree $share)
    }

    It 'refuses a set whose manifest was damaged, restoring nothing' {
        $text = [System.IO.File]::ReadAllText($backup.ManifestPath)
        [System.IO.File]::WriteAllText($backup.ManifestPath, $text.Replace('deploy.ps1', 'deploy.psm'))
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.CorruptBackupSet*'
        @(Get-ChildItem -LiteralPath $target -Recurse -Force).Count | Should -Be 0
    }

    It 'refuses a manifest that is not JSON' {
        [System.IO.File]::WriteAllText($backup.ManifestPath, 'not json at all')
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false } | Should -Throw '*is corrupt*'
    }

    It 'refuses a set whose stored file is missing, restoring nothing' {
        $entry = (Get-Content -Raw -LiteralPath $backup.ManifestPath | ConvertFrom-Json).Files | Where-Object Path -EQ 'VHDs/base.vhdx'
        Remove-Item -LiteralPath (Join-Path $destination "objects/$($entry.Sha256.Substring(0, 2))/$($entry.Sha256)")
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.CorruptBackupSet*'
        @(Get-ChildItem -LiteralPath $target -Recurse -Force).Count | Should -Be 0
    }

    It 'never writes a file whose stored copy does not match its hash' {
        $entry = (Get-Content -Raw -LiteralPath $backup.ManifestPath | ConvertFrom-Json).Files | Where-Object Path -EQ 'VHDs/base.vhdx'
        $object = Join-Path $destination "objects/$($entry.Sha256.Substring(0, 2))/$($entry.Sha256)"
        [System.IO.File]::WriteAllText($object, 'DISK contents')   # same length, other bytes
        $output = @(Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Continue 2>&1)
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'VmmBackup.HashMismatch*'
        Test-Path -LiteralPath (Join-Path $target 'VHDs/base.vhdx') | Should -BeFalse
        @(Get-ChildItem -LiteralPath $target -Recurse -File -Force | Where-Object Name -Like '*.tmp').Count | Should -Be 0
        $result.Verified | Should -BeFalse
        $result.Restored | Should -Be 2
    }

    It 'refuses a manifest that would write outside the destination, even with a valid digest' {
        $evil = Join-Path $destination 'sets/20990101_000000'
        $null = New-Item -ItemType Directory -Path $evil
        $hash = ((Get-Content -Raw -LiteralPath $backup.ManifestPath | ConvertFrom-Json).Files | Select-Object -First 1).Sha256
        InModuleScope VmmBackup -Parameters @{ Evil = $evil; Hash = $hash } {
            $files = @([pscustomobject]@{ Share = 0; Path = '../escaped.txt'; Length = 9; Modified = 0; Sha256 = $Hash })
            Write-VmmBackupManifest -Path (Join-Path $Evil 'manifest.json') -SetName 'evil' -StartTime (Get-Date) -EndTime (Get-Date) -Shares @('/x') -Files $files -Failed @()
        }
        { Restore-VmmLibraryShare -BackupSet $evil -Destination $target -Confirm:$false } | Should -Throw '*not a safe relative path*'
        Test-Path -LiteralPath (Join-Path (Split-Path $target -Parent) 'escaped.txt') | Should -BeFalse
    }

    It 'refuses an interrupted set' {
        $partial = Join-Path $destination 'sets/20990101_000001'
        $null = New-Item -ItemType Directory -Path $partial
        [System.IO.File]::WriteAllText((Join-Path $partial 'journal.jsonl'), '')
        { Restore-VmmLibraryShare -BackupSet $partial -Destination $target -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.IncompleteBackupSet*'
    }

    It 'refuses a folder that is not a backup set' {
        { Restore-VmmLibraryShare -BackupSet $share -Destination $target -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.BackupSetNotFound*'
    }

    It 'refuses a share that does not exist (restore the share first)' {
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination (Join-Path $TestDrive 'no-such-share') -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.DestinationUnreachable*'
    }

    It 'refuses the root of the file system as destination' {
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination '/' -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.RootDestination*'
    }

    It 'restores one share of a set that holds several, named with -Share' {
        $other = Join-Path $TestDrive ('other' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $other
        [System.IO.File]::WriteAllText((Join-Path $other 'only-here.inf'), 'driver')
        $both = Backup-VmmLibraryShare -Path $share, $other -Destination (Join-Path $TestDrive ('both' + [guid]::NewGuid().ToString('N'))) -Confirm:$false
        { Restore-VmmLibraryShare -BackupSet $both.SetPath -Destination $target -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.ShareNotChosen*'
        { Restore-VmmLibraryShare -BackupSet $both.SetPath -Destination $target -Share '/nowhere' -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.ShareNotInBackupSet*'
        $result = Restore-VmmLibraryShare -BackupSet $both.SetPath -Destination $target -Share $other -Confirm:$false -WarningAction SilentlyContinue
        $result.Files | Should -Be 1
        @(Get-ChildItem -LiteralPath $target -Recurse -File).Name | Should -Be @('only-here.inf')
    }

    It 'refreshes the share in VMM when VMM lists it' {
        $script:listed = $target
        Set-VmmStubBehavior Get-SCLibraryShare { New-VmmStubObject LibraryShare @{ Path = '/elsewhere'; Name = 'other' }; New-VmmStubObject LibraryShare @{ Path = $script:listed; Name = 'restored' } }
        $null = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -VMMServer 'vmm01' -Confirm:$false
        $calls = @(Get-VmmStubCall -CommandName Read-SCLibraryShare)
        $calls.Count | Should -Be 1
        $calls[0].BoundParameters['LibraryShare'].Name | Should -Be 'restored'
    }

    It 'asks VMM for the share while the files are copied, and refreshes it only after the last one' {
        # Each file's copy slowed down: the lookup must come before the copy ends, the refresh after it.
        & (Get-Module VmmBackup) {
            $script:OriginalEngine = ${function:New-VmmCopyEngine}
            function script:New-VmmCopyEngine {
                param([string] $Kind, [string] $ObjectsRoot, [string] $TemporaryRoot, [switch] $IgnoreCase, [switch] $Force)
                $engine = & $script:OriginalEngine @PSBoundParameters; $engine.FileDelayMilliseconds = 300; $engine
            }
        }
        try {
            $script:listed = $target
            $script:seen = @{}
            Set-VmmStubBehavior Get-SCLibraryShare { $script:seen.AtLookup = @(Get-ChildItem -LiteralPath $script:listed -Recurse -File).Count; New-VmmStubObject LibraryShare @{ Path = $script:listed; Name = 'restored' } }
            Set-VmmStubBehavior Read-SCLibraryShare { $script:seen.AtRefresh = @(Get-ChildItem -LiteralPath $script:listed -Recurse -File).Count }
            $result = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -VMMServer 'vmm01' -Confirm:$false
            $result.Restored | Should -Be 3
            $script:seen.AtLookup | Should -BeLessThan 3
            $script:seen.AtRefresh | Should -Be 3
        } finally {
            & (Get-Module VmmBackup) { Set-Item -Path function:script:New-VmmCopyEngine -Value $script:OriginalEngine }
        }
    }

    It 'requests no refresh and gives no refresh warning when the restore fails' {
        $script:listed = $target
        Set-VmmStubBehavior Get-SCLibraryShare { New-VmmStubObject LibraryShare @{ Path = $script:listed; Name = 'restored' } }
        # A folder where a file must go: its write fails, and the restore stops.
        $null = New-Item -ItemType Directory -Path (Join-Path $target 'deploy.ps1')
        $null = New-Item -ItemType File -Path (Join-Path $target 'VHDs') -Force
        { Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Force -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'VmmBackup.DestinationWriteFailed*'
        Get-VmmStubCall -CommandName Read-SCLibraryShare | Should -BeNullOrEmpty
        "$warnings" | Should -Not -BeLike '*refresh*'
    }

    It 'does not refresh a share VMM does not list, and warns when VMM cannot be reached' {
        Set-VmmStubBehavior Get-SCLibraryShare { New-VmmStubObject LibraryShare @{ Path = '/elsewhere'; Name = 'other' } }
        $null = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false
        Get-VmmStubCall -CommandName Read-SCLibraryShare | Should -BeNullOrEmpty

        Set-VmmStubBehavior Get-SCVMMServer { throw 'You cannot contact the VMM management server.' }
        $result = Restore-VmmLibraryShare -BackupSet $backup.SetPath -Destination $target -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Verified | Should -BeTrue
        "$warnings" | Should -BeLike '*could not be asked to refresh*'
    }
}
