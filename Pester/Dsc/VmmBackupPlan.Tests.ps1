# VmmBackupPlan driven through the DSC harness, on a real backup destination laid out as Invoke-VmmBackup
# writes it: <Destination>/<set>/database/*.bak, <Destination>/<set>/registry/*.reg, <Destination>/library/.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Invoke-VmmBackup: records its parameters and writes the registry export it is given.
    $script:StandIn = @{
        'Invoke-VmmBackup' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Destination, [string] $SystemStateTarget, [string[]] $Skip, [string] $VMMServer)
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject @{ Destination = $Destination; SystemStateTarget = $SystemStateTarget; Skip = $Skip }))
            if ($Skip -notcontains 'backup.registry') {
                $folder = [System.IO.Path]::Combine($Destination, '20990101_000000', 'registry')
                $null = [System.IO.Directory]::CreateDirectory($folder)
                [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($folder, 'VmmSettings_20990101_000000.reg'), $VmmDscHarnessData.Registry)
            }
        }
    }
    $script:RegistryBytes = [System.IO.File]::ReadAllBytes((New-TestRegistryExport -Path (Join-Path $TestDrive 'sample.reg')))

    function New-PlanDestination {
        param([double] $DatabaseAge = 2, [double] $RegistryAge = 20, [double] $LibraryAge = 5, [switch] $NoLibrary)
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-TestDatabaseBackup -Folder (Join-Path $root '20260101_010101/database') -AgeHours $DatabaseAge
        $null = New-TestRegistryExport -Path (Join-Path $root '20260101_010101/registry/VmmSettings_20260101_010101.reg') -AgeHours $RegistryAge
        if (-not $NoLibrary) { $null = New-TestLibrarySet -Destination (Join-Path $root 'library') -AgeHours $LibraryAge }
        $root
    }
}

Describe 'VmmBackupPlan' {
    BeforeEach {
        $script:Data = @{ Log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json'); Registry = $script:RegistryBytes }
    }

    It 'is in the desired state when every checked item is good at its own cadence; Get returns the actual values' {
        $root = New-PlanDestination -RegistryAge 100.2
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; SystemStateTarget = 'E:' }
        @($state.OutOfDate).Count | Should -Be 0
        $state.MaxAgeHours | Should -Be 101
        $state.SystemStateTarget | Should -Be 'E:'
        @($state.Reasons).Count | Should -Be 0
    }

    It 'names each item that is stale or missing, with a Reason for each' {
        $root = New-PlanDestination -RegistryAge 200 -NoLibrary
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeFalse
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @('backup.registry', 'backup.library')
        $state.MaxAgeHours | Should -BeNullOrEmpty
        @($state.Reasons.Code) | Should -Be @('VmmBackupPlan:VmmBackupPlan:MaxAgeHours', 'VmmBackupPlan:VmmBackupPlan:Destination')
        $state.Reasons[0].Phrase | Should -Match '^backup\.registry: .*at most 168 hours'
        $state.Reasons[1].Phrase | Should -Match '^backup\.library: .*no library backup set'
    }

    It 'applies MaxAgeHours to every item, and leaves out the items in Skip' {
        $root = New-PlanDestination -DatabaseAge 2 -RegistryAge 20 -LibraryAge 5
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; MaxAgeHours = 4 }
        @($state.OutOfDate) | Should -Be @('backup.registry', 'backup.library')
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; MaxAgeHours = 4; Skip = @('backup.registry', 'backup.library') }
        @($state.OutOfDate).Count | Should -Be 0
    }

    It 'reports a corrupt item' {
        $root = New-PlanDestination
        $null = New-TestDatabaseBackup -Folder (Join-Path $root '20260102_010101/database') -AgeHours 1 -Corrupt
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @('backup.database')
        $state.Reasons.Phrase | Should -Match 'Microsoft Tape Format'
    }

    It 'Set runs the plan, skipping the items already good, after which Test is true' {
        $root = New-PlanDestination -RegistryAge 300
        $desired = @{ Destination = $root; SystemStateTarget = 'E:'; Skip = @('backup.inventory') }
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property $desired -Replace $script:StandIn -ReplaceData $script:Data
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
        $call.Destination | Should -Be $root
        $call.SystemStateTarget | Should -Be 'E:'
        @($call.Skip | Sort-Object) | Should -Be @('backup.database', 'backup.inventory', 'backup.library')
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property $desired | Should -BeTrue
    }

    It 'Set changes nothing when every checked item is good' {
        $root = New-PlanDestination
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property @{ Destination = $root } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
    }
}
