# VmmDatabaseBackup driven through the DSC harness (fresh runspace per call), on real .bak files.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Backup-VmmDatabase: records its parameters and writes a verified backup as the cmdlet would.
    $script:StandIn = @{
        'Backup-VmmDatabase' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Path, [string] $Method, [string] $Database, [string] $VMMServer, [string] $SqlServer, [switch] $CopyOnly, [switch] $Compression, [int] $RetainDays)
            $bound = @{}
            foreach ($key in $PSBoundParameters.Keys) { $bound[$key] = [string]$PSBoundParameters[$key] }
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject $bound))
            $name = 'VirtualManagerDB'
            if ($Database) { $name = $Database }
            $file = [System.IO.Path]::Combine($Path, $name + '_20990101_000000.bak')
            [System.IO.File]::WriteAllBytes($file, [byte[]](84, 65, 80, 69, 0, 1, 2, 3))
            [System.IO.File]::WriteAllText($file + '.verify.json', '{"Verified": true}')
        }
    }
}

Describe 'VmmDatabaseBackup' {
    BeforeEach {
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Folder
        $script:Data = @{ Log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json') }
    }

    It 'is in the desired state with a fresh verified backup; Get returns the actual values' {
        $file = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 5.2 -Record '{"Verified": true}'
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Test -Property @{ Path = $script:Folder; MaxAgeHours = 24 } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24; Method = 'Sql' }
        $state.MaxAgeHours | Should -Be 6
        $state.Database | Should -Be 'VirtualManagerDB'
        $state.Method | Should -Be 'Sql'
        $state.LatestBackup | Should -Be (Get-Item $file).FullName
        $state.Verified | Should -BeTrue
        @($state.Reasons).Count | Should -Be 0
    }

    It 'is not in the desired state when the newest backup is stale (Reason on MaxAgeHours)' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 30.5
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.MaxAgeHours | Should -Be 31
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
        @{ Case = 'no MTF header'; Corrupt = $true; Record = $null; Match = "lacks the Microsoft Tape Format header" }
        @{ Case = 'verification failed'; Corrupt = $false; Record = '{"Verified": false}'; Match = 'did not verify' }
        @{ Case = 'damaged record'; Corrupt = $false; Record = '{not json'; Match = 'not valid JSON' }
        @{ Case = 'blank record (PowerShell 7 reads it as nothing, 5.1 fails)'; Corrupt = $false; Record = "  `r`n"; Match = 'not valid JSON' }
    ) {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 10 -Stamp '20250101_000000'
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 1 -Corrupt:$Corrupt -Record $Record
        $state = Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.Verified | Should -BeFalse
        $state.MaxAgeHours | Should -BeNullOrEmpty
        $state.Reasons.Code | Should -Be 'VmmDatabaseBackup:VmmDatabaseBackup:Verified'
        $state.Reasons.Phrase | Should -Match $Match
    }

    It 'Set takes a backup with the desired parameters, after which Test is true' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 48
        $desired = @{ Path = $script:Folder; MaxAgeHours = 24; Method = 'Sql'; Database = 'VirtualManagerDB'; CopyOnly = $true; RetainDays = 14; SqlServer = "sql01\VMM;']" }
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property $desired -Replace $script:StandIn -ReplaceData $script:Data
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
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

    It 'Set changes nothing when a fresh verified backup exists' {
        $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 1
        Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $script:Folder; MaxAgeHours = 24 } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
    }

    It 'Set reports the failure of the cmdlet it runs, naming it' {
        # Without a stand-in the real Backup-VmmDatabase runs and cannot reach VMM or SQL Server here.
        { Invoke-VmmDscResource -Name VmmDatabaseBackup -Method Set -Property @{ Path = $script:Folder } } |
            Should -Throw -ExpectedMessage 'VmmDatabaseBackup.Set() failed: VmmDatabaseBackup: Backup-VmmDatabase failed, so the desired state was not reached: *'
    }
}
