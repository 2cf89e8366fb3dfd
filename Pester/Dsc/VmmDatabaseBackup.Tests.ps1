# VmmDatabaseBackup driven through the DSC harness (fresh runspace per call), on real .bak files.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Backup-VmmDatabase: records its parameters and writes a backup with the verification record
    # the cmdlet writes after RESTORE VERIFYONLY (or, with Data.Unverified, a backup without one, as the cmdlet
    # leaves when it cannot verify).
    $script:StandIn = @{
        'Backup-VmmDatabase' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Path, [string] $Method, [string] $Database, [string] $VMMServer, [string] $SqlServer, [switch] $CopyOnly, [switch] $Compression, [int] $RetainDays, [PSCredential] $SqlCredential)
            $bound = @{}
            foreach ($key in $PSBoundParameters.Keys) { $bound[$key] = [string]$PSBoundParameters[$key] }
            if ($SqlCredential) { $bound['SqlCredentialUser'] = $SqlCredential.UserName; $bound['SqlCredentialPassword'] = $SqlCredential.GetNetworkCredential().Password }
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject $bound))
            $name = 'VirtualManagerDB'
            if ($Database) { $name = $Database }
            $file = [System.IO.Path]::Combine($Path, $name + '_20990101_000000.bak')
            $bytes = [byte[]](84, 65, 80, 69, 0, 1, 2, 3)
            [System.IO.File]::WriteAllBytes($file, $bytes)
            if ($VmmDscHarnessData.Unverified) {
                Write-Warning "The backup '$file' is not verified: the SQL Server instance is unknown (give -SqlServer)."
                return
            }
            $sha = [System.Security.Cryptography.SHA256]::Create()
            $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
            $record = [ordered]@{ File = [System.IO.Path]::GetFileName($file); SizeBytes = 8; Sha256 = $hash; Verified = $true }
            [System.IO.File]::WriteAllText($file + '.verify.json', (ConvertTo-Json -InputObject $record))
        }
    }
}

Describe 'VmmDatabaseBackup' {
    BeforeEach {
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Folder
        $script:Data = @{ Log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json') }
    }

    It 'is in the desired state with a fresh verified backup; Get returns the actual values, MaxAgeHours as desired' {
        $file = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 5.2 -Verified
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = $script:Folder; MaxAgeHours = 24 } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24; Method = 'Sql' }
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 6
        $state.Database | Should -Be 'VirtualManagerDB'
        $state.Method | Should -Be 'Sql'
        $state.LatestBackup | Should -Be (Get-Item $file).FullName
        $state.Verified | Should -BeTrue
        @($state.Reasons).Count | Should -Be 0
    }

    It 'is not in the desired state when the newest backup is stale (Reason on MaxAgeHours)' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 30.5 -Verified
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 31
        $state.Reasons.Code | Should -Be 'VmmDatabaseBackup:VmmDatabaseBackup:MaxAgeHours'
        $state.Reasons.Phrase | Should -Match '30\.5 hours old; MaxAgeHours is 24'
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = $script:Folder; MaxAgeHours = 24 } | Should -BeFalse
    }

    It 'is not in the desired state when no backup exists, or none of the named database (Reason on Path)' {
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = $script:Folder } | Should -BeFalse
        $null = New-TestDatabaseBackup -Folder $script:Folder -Database 'OtherDB'
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; Database = 'VirtualManagerDB' }
        $state.Reasons.Code | Should -Be 'VmmDatabaseBackup:VmmDatabaseBackup:Path'
        $state.Reasons.Phrase | Should -Match "holds no backup of the database 'VirtualManagerDB'"
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = (Join-Path $script:Folder 'missing') } | Should -BeFalse
    }

    It 'is not in the desired state when the newest backup is corrupt: <Case>' -ForEach @(
        @{ Case = 'no MTF header'; Corrupt = $true; Record = $null; Match = "not verified: Corrupt: .*lacks the Microsoft Tape Format header" }
        @{ Case = 'a 4-byte file holding TAPE, no record'; Corrupt = $false; Record = $null; Tiny = $true; Match = 'not verified: Unverified: .*has no verification record' }
        @{ Case = 'no record (the cmdlet warned it is not verified)'; Corrupt = $false; Record = $null; Match = 'not verified: Unverified: .*has no verification record.*Take a new backup with Backup-VmmDatabase' }
        @{ Case = 'verification failed'; Corrupt = $false; Record = '{"Verified": false}'; Match = 'does not say the backup verified' }
        @{ Case = 'a record that names no file'; Corrupt = $false; Record = '{"Verified": true}'; Match = 'does not name the file it verified \(no File, SizeBytes, Sha256\)' }
        @{ Case = 'a record for another file'; Corrupt = $false; Other = @{ File = 'VirtualManagerDB_20250101_000000.bak' }; Match = "is for 'VirtualManagerDB_20250101_000000.bak', not for 'VirtualManagerDB_20260101_010101.bak'" }
        @{ Case = 'a record with another size'; Corrupt = $false; Other = @{ SizeBytes = 4096 }; Match = 'is 2048 bytes, but its verification record says 4096' }
        @{ Case = 'a record with another hash'; Corrupt = $false; Other = @{ Sha256 = ('0' * 64) }; Match = 'SHA-256 of .* does not match its verification record' }
        @{ Case = 'damaged record'; Corrupt = $false; Record = '{not json'; Match = 'not valid JSON' }
        @{ Case = 'blank record (PowerShell 7 reads it as nothing, 5.1 fails)'; Corrupt = $false; Record = "  `r`n"; Match = 'not valid JSON' }
    ) {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 10 -Stamp '20250101_000000' -Verified
        $file = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 1 -Corrupt:$Corrupt -Record $Record
        if ($Tiny) {
            [System.IO.File]::WriteAllText($file, 'TAPE')
            Set-TestFileAge -Path $file -AgeHours 1
        }
        if ($Other) { New-TestVerificationRecord -Path $file @Other }
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.Verified | Should -BeFalse
        $state.AgeHours | Should -BeNullOrEmpty
        $state.Reasons.Code | Should -Be 'VmmDatabaseBackup:VmmDatabaseBackup:Verified'
        $state.Reasons.Phrase | Should -Match $Match
    }

    It 'Set takes a backup with the desired parameters, the SqlCredential included, after which Test is true' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 48 -Verified
        $credential = New-Object System.Management.Automation.PSCredential ('vmmbackup', (ConvertTo-SecureString 'S3cret!x' -AsPlainText -Force))
        $desired = @{ Path = $script:Folder; MaxAgeHours = 24; Method = 'Sql'; Database = 'VirtualManagerDB'; CopyOnly = $true; RetainDays = 14; SqlServer = "sql01\VMM;']"; SqlCredential = $credential }
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property $desired -Replace $script:StandIn -ReplaceData $script:Data
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
        $call.SqlCredentialUser | Should -Be 'vmmbackup'
        $call.SqlCredentialPassword | Should -Be 'S3cret!x'
        $call.Path | Should -Be $script:Folder
        $call.Method | Should -Be 'Sql'
        $call.CopyOnly | Should -Be 'True'
        $call.RetainDays | Should -Be '14'
        $call.SqlServer | Should -Be "sql01\VMM;']"
        $call.PSObject.Properties.Name | Should -Not -Contain 'Compression'
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property $desired | Should -BeTrue
    }

    It 'Set creates the backup folder when it does not exist yet' {
        $target = Join-Path $script:Folder 'new/database'
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $target } -Replace $script:StandIn -ReplaceData $script:Data
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = $target; MaxAgeHours = 1 } | Should -BeTrue
    }

    It 'Get never returns the SqlCredential' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 1 -Verified
        $credential = New-Object System.Management.Automation.PSCredential ('vmmbackup', (ConvertTo-SecureString 'S3cret!x' -AsPlainText -Force))
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; SqlCredential = $credential }
        $state.SqlCredential | Should -BeNullOrEmpty
        ($state | ConvertTo-Json -Depth 5) | Should -Not -Match 'vmmbackup|S3cret'
    }

    It 'Set fails when the backup it took is not verified (the cmdlet only warned)' {
        $script:Data.Unverified = $true
        { Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $script:Folder } -Replace $script:StandIn -ReplaceData $script:Data } |
            Should -Throw -ExpectedMessage '*VmmDatabaseBackup: Backup-VmmDatabase ran, but the desired state was not reached: The newest database backup is not verified: Unverified: *has no verification record*'
    }

    It 'Set changes nothing when a fresh verified backup exists' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 1 -Verified
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $script:Folder; MaxAgeHours = 24 } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
    }

    It 'Set reports the failure of the cmdlet it runs, naming it' {
        # Without a stand-in the real Backup-VmmDatabase runs and cannot reach VMM or SQL Server here.
        { Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $script:Folder } } |
            Should -Throw -ExpectedMessage 'VmmDatabaseBackup.Set() failed: VmmDatabaseBackup: Backup-VmmDatabase failed, so the desired state was not reached: *'
    }
}
