# VmmLibraryBackup driven through the DSC harness (fresh runspace per call), on real library backup sets.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Backup-VmmLibraryShare: records its parameters and commits a new set with the module's writer.
    $script:StandIn = @{
        'Backup-VmmLibraryShare' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string[]] $Path, [string] $Destination, [string[]] $Extension, [string] $VMMServer)
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject @{ Path = $Path; Destination = $Destination; Extension = $Extension; VMMServer = $VMMServer }))
            $shares = @('\\lib01\MSSCVMMLibrary')
            if ($Path) { $shares = $Path }
            $bytes = [System.Text.Encoding]::UTF8.GetBytes('fresh disk')
            $sha = [System.Security.Cryptography.SHA256]::Create()
            $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
            $objects = [System.IO.Path]::Combine($Destination, 'objects', $hash.Substring(0, 2))
            $null = [System.IO.Directory]::CreateDirectory($objects)
            [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($objects, $hash), $bytes)
            $set = [System.IO.Path]::Combine($Destination, 'sets', '20990101_000000')
            $null = [System.IO.Directory]::CreateDirectory($set)
            $entry = [pscustomobject]@{ Share = 0; Path = 'VHDs/new.vhdx'; Length = $bytes.Length; Modified = 1; Sha256 = $hash }
            Write-VmmBackupManifest -Path ([System.IO.Path]::Combine($set, 'manifest.json')) -SetName '20990101_000000' -StartTime (Get-Date) -EndTime (Get-Date) -Shares $shares -Files @($entry) -Failed @()
        }
    }
}

Describe 'VmmLibraryBackup' {
    BeforeEach {
        $script:Destination = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Destination
        $script:Data = @{ Log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json') }
    }

    It 'is in the desired state with a fresh intact set; Get returns the actual values' {
        $set = New-TestLibrarySet -Destination $script:Destination -Shares @('\\lib01\MSSCVMMLibrary', '\\lib02\Library') -AgeHours 3.5
        $desired = @{ Destination = $script:Destination; Path = @('\\lib02\Library'); MaxAgeHours = 24 }
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property $desired
        $state.Path | Should -Be @('\\lib01\MSSCVMMLibrary', '\\lib02\Library')
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 4
        $state.LatestBackup | Should -Be (Get-Item $set).FullName
        $state.Verified | Should -BeTrue
        @($state.Reasons).Count | Should -Be 0
    }

    It 'is not in the desired state when the newest set is stale (Reason on MaxAgeHours)' {
        $null = New-TestLibrarySet -Destination $script:Destination -AgeHours 40
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $script:Destination; MaxAgeHours = 24 }
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:MaxAgeHours'
        $state.Reasons.Phrase | Should -Match 'hours old; MaxAgeHours is 24'
    }

    It 'is not in the desired state without a set, or with an interrupted one only' {
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $script:Destination }
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:Destination'
        $interrupted = Join-Path $script:Destination 'sets/20260102_000000'
        $null = New-Item -ItemType Directory -Path $interrupted
        Set-Content -Path (Join-Path $interrupted 'journal.jsonl') -Value '{}'
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $script:Destination }
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:Verified'
        $state.Reasons.Phrase | Should -Match 'incomplete'
    }

    It 'is not in the desired state when a file does not match its hash, or the manifest was edited' {
        $null = New-TestLibrarySet -Destination $script:Destination -Files @{ 'VHDs/base.vhdx' = 'disk' }
        [System.IO.File]::WriteAllText((Get-TestObjectPath -Destination $script:Destination -Content 'disk'), 'dirt')
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $script:Destination; MaxAgeHours = 24 }
        $state.Verified | Should -BeFalse
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:Verified'
        $state.Reasons.Phrase | Should -Match 'SHA-256'

        $other = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $set = New-TestLibrarySet -Destination $other
        $manifest = Join-Path $set 'manifest.json'
        (Get-Content -Raw $manifest).Replace('base.vhdx', 'evil.vhdx') | Set-Content -Path $manifest -NoNewline
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $other }
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:Verified'
        $state.Reasons.Phrase | Should -Match 'digest'
    }

    It 'is not in the desired state when the set does not cover a desired share (Reason on Path)' {
        $null = New-TestLibrarySet -Destination $script:Destination -Shares @('\\lib01\MSSCVMMLibrary')
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property @{ Destination = $script:Destination; Path = @('\\lib01\MSSCVMMLibrary', '\\lib09\Other') }
        $state.Reasons.Code | Should -Be 'VmmLibraryBackup:VmmLibraryBackup:Path'
        $state.Reasons.Phrase | Should -Match 'does not cover'
    }

    It 'Set runs Backup-VmmLibraryShare with the desired parameters, after which Test is true' {
        $null = New-TestLibrarySet -Destination $script:Destination -AgeHours 100
        $desired = @{ Destination = $script:Destination; Path = @('\\lib01\MSSCVMMLibrary'); Extension = @('.vhdx', '.iso'); MaxAgeHours = 24 }
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Set -Property $desired -Replace $script:StandIn -ReplaceData $script:Data
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
        $call.Destination | Should -Be $script:Destination
        @($call.Extension) | Should -Be @('.vhdx', '.iso')
        @($call.Path) | Should -Be @('\\lib01\MSSCVMMLibrary')
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeTrue
    }

    It 'Set with the real Backup-VmmLibraryShare (no stand-in) backs up the shares, after which Test is true' {
        $share = Join-Path $script:Destination 'share'
        $null = New-Item -ItemType Directory -Path (Join-Path $share 'VHDs') -Force
        Set-Content -Path (Join-Path $share 'VHDs/base.vhdx') -Value 'disk'
        Set-Content -Path (Join-Path $share 'setup.iso') -Value 'iso'
        $desired = @{ Destination = (Join-Path $script:Destination 'backup'); Path = @($share); MaxAgeHours = 24 }
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeFalse
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Set -Property $desired
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmLibraryBackup -Method Get -Property $desired
        $state.Path | Should -Be @((Get-Item $share).FullName)
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 1
        # Damage what was backed up: the resource sees it.
        [System.IO.File]::WriteAllText((Get-TestObjectPath -Destination $desired.Destination -Content ("iso" + [Environment]::NewLine)), 'xyz!')
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Test -Property $desired | Should -BeFalse
    }

    It 'Set changes nothing when the newest set is good' {
        $null = New-TestLibrarySet -Destination $script:Destination
        Invoke-VmmDscResource -Name VmmLibraryBackup -Method Set -Property @{ Destination = $script:Destination; MaxAgeHours = 24 } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
    }
}
