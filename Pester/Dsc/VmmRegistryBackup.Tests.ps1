# VmmRegistryBackup driven through the DSC harness (fresh runspace per call), on real .reg files.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Backup-VmmRegistrySetting: records its parameters and writes the export it is given.
    $script:StandIn = @{
        'Backup-VmmRegistrySetting' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Path, [switch] $IncludeSql)
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject @{ Path = $Path; IncludeSql = [bool]$IncludeSql; Confirm = $PSBoundParameters.ContainsKey('Confirm') -and -not [bool]$PSBoundParameters['Confirm'] }))
            $bytes = $VmmDscHarnessData.Without
            if ($IncludeSql) { $bytes = $VmmDscHarnessData.With }
            $target = $Path
            if ($Path -notmatch '\.reg$') { $target = [System.IO.Path]::Combine($Path, 'VmmSettings_20990101_000000.reg') }
            [System.IO.File]::WriteAllBytes($target, $bytes)
        }
    }
    $sample = Join-Path $TestDrive 'samples'
    $script:Data = @{
        Without = [System.IO.File]::ReadAllBytes((New-TestRegistryExport -Path (Join-Path $sample 'without.reg')))
        With    = [System.IO.File]::ReadAllBytes((New-TestRegistryExport -Path (Join-Path $sample 'with.reg') -IncludeSql))
    }
}

Describe 'VmmRegistryBackup' {
    BeforeEach {
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Folder
        $script:Data.Log = Join-Path $script:Folder 'call.json'
    }

    It 'is in the desired state with a fresh, sound export; Get returns the actual values' {
        $file = New-TestRegistryExport -Path (Join-Path $script:Folder 'VmmSettings_1.reg') -AgeHours 2.5
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property @{ Path = $script:Folder; MaxAgeHours = 24; IncludeSql = $false } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.Path | Should -Be $script:Folder
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 3
        $state.IncludeSql | Should -BeFalse
        $state.LatestBackup | Should -Be (Get-Item $file).FullName
        $state.Verified | Should -BeTrue
        ([datetime]::UtcNow - $state.LatestBackupTime.ToUniversalTime()).TotalHours | Should -BeGreaterThan 2.4
        @($state.Reasons).Count | Should -Be 0
    }

    It 'is not in the desired state when the export is older than MaxAgeHours (Reason on MaxAgeHours)' {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'old.reg') -AgeHours 199.5
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property @{ Path = $script:Folder; MaxAgeHours = 168 } | Should -BeFalse
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 168 }
        $state.MaxAgeHours | Should -Be 168
        $state.AgeHours | Should -Be 200
        @($state.Reasons).Count | Should -Be 1
        $state.Reasons[0].Code | Should -Be 'VmmRegistryBackup:VmmRegistryBackup:MaxAgeHours'
        $state.Reasons[0].Phrase | Should -Match '199\.5 hours old; MaxAgeHours is 168'
        # The same file with MaxAgeHours left unmanaged is fine.
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property @{ Path = $script:Folder } | Should -BeTrue
    }

    It 'is not in the desired state when there is no export (Reason on Path)' {
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.Reasons[0].Code | Should -Be 'VmmRegistryBackup:VmmRegistryBackup:Path'
        $state.Reasons[0].Phrase | Should -Match 'holds no registry export'
        $state.LatestBackup | Should -BeNullOrEmpty
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -BeNullOrEmpty
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property @{ Path = (Join-Path $script:Folder 'settings.reg') } | Should -BeFalse
    }

    It 'is not in the desired state when the newest export is corrupt: <Corrupt>' -ForEach @(
        @{ Corrupt = 'NoBom'; Match = 'byte order mark' }
        @{ Corrupt = 'Header'; Match = 'Windows Registry Editor Version 5.00' }
        @{ Corrupt = 'Garbage'; Match = 'neither a key nor a value' }
        @{ Corrupt = 'NoSettingsKey'; Match = 'does not hold the key' }
    ) {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'older.reg') -AgeHours 5
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'newest.reg') -AgeHours 1 -Corrupt $Corrupt
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder; MaxAgeHours = 24 }
        $state.Verified | Should -BeFalse
        $state.Reasons[0].Code | Should -Be 'VmmRegistryBackup:VmmRegistryBackup:Verified'
        $state.Reasons[0].Phrase | Should -Match $Match
    }

    It 'reports IncludeSql as it is in the export and compares it' {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'sql.reg') -IncludeSql
        (Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder }).IncludeSql | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Property @{ Path = $script:Folder; IncludeSql = $false }
        $state.Reasons[0].Code | Should -Be 'VmmRegistryBackup:VmmRegistryBackup:IncludeSql'
        $state.IncludeSql | Should -BeTrue
    }

    It 'Set writes an export with the desired parameters, after which Test is true' {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'old.reg') -AgeHours 500
        $desired = @{ Path = $script:Folder; MaxAgeHours = 168; IncludeSql = $true }
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property $desired | Should -BeFalse
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Set -Property $desired -Replace $script:StandIn -ReplaceData $script:Data
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
        $call.Path | Should -Be $script:Folder
        $call.IncludeSql | Should -BeTrue
        $call.Confirm | Should -BeTrue -Because 'Set passes -Confirm:$false: an engine cannot answer prompts'
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property $desired | Should -BeTrue
    }

    It 'Set creates the folder of a .reg file that does not exist yet' {
        $target = Join-Path $script:Folder 'new/settings.reg'
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Set -Property @{ Path = $target } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path -LiteralPath $target -PathType Leaf | Should -BeTrue
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Property @{ Path = $target; MaxAgeHours = 1 } | Should -BeTrue
    }

    It 'Set changes nothing when the state is already desired' {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'fresh.reg')
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Set -Property @{ Path = $script:Folder; MaxAgeHours = 24 } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
        @(Get-ChildItem $script:Folder -Filter *.reg).Count | Should -Be 1
    }

    It 'works from the JSON properties DSC v3 sends' {
        $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'fresh.reg')
        $json = ConvertTo-Json -Compress -InputObject @{ Path = $script:Folder; MaxAgeHours = 24; IncludeSql = $false }
        Invoke-VmmDscResource -Name VmmRegistryBackup -Method Test -Json $json | Should -BeTrue
        (Invoke-VmmDscResource -Name VmmRegistryBackup -Method Get -Json $json).Verified | Should -BeTrue
    }
}
