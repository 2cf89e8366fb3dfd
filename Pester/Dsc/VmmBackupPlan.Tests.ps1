# VmmBackupPlan driven through the DSC harness, on a real backup destination laid out as Invoke-VmmBackup
# writes it: <Destination>/<run>/{database,registry,inventory,vmconfig,backup-set.json}, <Destination>/library/.
BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DscHarness.psm1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')

    # Stand-in for Invoke-VmmBackup: records its parameters and answers with the results it is given.
    $script:StandIn = @{
        'Invoke-VmmBackup' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Destination, [string] $SystemStateTarget, [string[]] $Skip, [string] $VMMServer)
            [System.IO.File]::WriteAllText($VmmDscHarnessData.Log, (ConvertTo-Json -InputObject @{ Destination = $Destination; SystemStateTarget = $SystemStateTarget; Skip = $Skip }))
            foreach ($result in @($VmmDscHarnessData.Results)) { [pscustomobject]$result }
        }
    }

    # Stand-ins for the item cmdlets the real Invoke-VmmBackup runs. The database one writes like SQL Server's
    # BACKUP TO DISK: into an existing folder only.
    $script:ItemStandIns = @{
        'Backup-VmmDatabase' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Path, [string] $VMMServer)
            if (-not [System.IO.Directory]::Exists($Path)) { throw "Cannot open backup device '$Path\VirtualManagerDB_1.bak'. Operating system error 3 (The system cannot find the path specified.)." }
            $file = [System.IO.Path]::Combine($Path, 'VirtualManagerDB_20990101_000000.bak')
            $bytes = [byte[]](84, 65, 80, 69, 0, 1, 2, 3)
            [System.IO.File]::WriteAllBytes($file, $bytes)
            $sha = [System.Security.Cryptography.SHA256]::Create()
            $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
            [System.IO.File]::WriteAllText($file + '.verify.json', (ConvertTo-Json -InputObject ([ordered]@{ File = 'VirtualManagerDB_20990101_000000.bak'; SizeBytes = 8; Sha256 = $hash; Verified = $true })))
            [pscustomobject]@{ Path = $file; Verified = $true }
        }
        'Backup-VmmRegistrySetting' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Path)
            $null = [System.IO.Directory]::CreateDirectory($Path)
            $file = [System.IO.Path]::Combine($Path, 'VmmSettings_20990101_000000.reg')
            [System.IO.File]::WriteAllBytes($file, $VmmDscHarnessData.Registry)
            [pscustomobject]@{ Path = $file }
        }
        'Export-VmmInventory' = {
            [CmdletBinding()]
            param([string] $Path, [string] $VMMServer)
            $null = [System.IO.Directory]::CreateDirectory($Path)
            $file = [System.IO.Path]::Combine($Path, 'VmmInventory_20990101_000000.json')
            [System.IO.File]::WriteAllText($file, '{"SchemaVersion":1}')
            [pscustomobject]@{ Path = $file }
        }
        'Backup-VmmVMConfiguration' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $Destination, [string] $VMMServer)
            $folder = [System.IO.Path]::Combine($Destination, 'hv01', 'vm01')
            $null = [System.IO.Directory]::CreateDirectory($folder)
            [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, 'A1B2.vmcx'), 'configuration')
            [pscustomobject]@{ VMName = 'vm01'; State = $VmmDscHarnessData.VMState; Message = 'host hv01 unreachable' }
        }
        'Backup-VmmSystemState' = {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param([string] $BackupTarget)
            [pscustomobject]@{ BackupTarget = $BackupTarget; ExitCode = 0; VersionIdentifier = '01/01/2099-00:00'; State = 'Succeeded' }
        }
    }
    $script:RegistryBytes = [System.IO.File]::ReadAllBytes((New-TestRegistryExport -Path (Join-Path $TestDrive 'sample.reg')))

    function New-PlanDestination {
        # A destination with one committed run holding every item and a library set.
        param([double] $AgeHours = 2, [double] $LibraryAge = 5, [switch] $NoLibrary, [hashtable] $Items, [string] $SystemStateTarget)
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $run = @{ Destination = $root; AgeHours = $AgeHours; SystemStateTarget = $SystemStateTarget }
        if ($Items) { $run.Items = $Items }
        $null = New-TestPlanRun @run
        if (-not $NoLibrary) { $null = New-TestLibrarySet -Destination (Join-Path $root 'library') -AgeHours $LibraryAge }
        $root
    }
}

Describe 'VmmBackupPlan' {
    BeforeEach {
        $script:Data = @{ Log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json'); Registry = $script:RegistryBytes; Results = @(); VMState = 'Succeeded' }
    }

    It 'is in the desired state when every item of the plan is good; Get returns MaxAgeHours as desired and the age in AgeHours' {
        $root = New-PlanDestination -AgeHours 10.2
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; MaxAgeHours = 24 }
        @($state.OutOfDate).Count | Should -Be 0
        $state.MaxAgeHours | Should -Be 24
        $state.AgeHours | Should -Be 11
        @($state.Reasons).Count | Should -Be 0
    }

    It 'is not in the desired state when only the database, registry and library backups exist (the old shared-destination example)' {
        # What the three single resources of the old example left under one destination: no inventory, no VM
        # configuration, no committed run at all.
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-TestDatabaseBackup -Folder (Join-Path $root 'Database') -Verified
        $null = New-TestRegistryExport -Path (Join-Path $root 'Registry/VmmSettings_20260101_010101.reg')
        $null = New-TestLibrarySet -Destination (Join-Path $root 'Library')
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeFalse
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @('backup.database', 'backup.inventory', 'backup.vm-configuration', 'backup.library', 'backup.registry')
        $state.Reasons[1].Phrase | Should -Match '^backup\.inventory: Missing: No committed run of Invoke-VmmBackup'
    }

    It 'checks inventory and VM configuration: <Case>' -ForEach @(
        @{ Case = 'inventory failed in the only run'; Items = @{ 'backup.database' = 'Succeeded'; 'backup.registry' = 'Succeeded'; 'backup.inventory' = 'Failed'; 'backup.vm-configuration' = 'Succeeded' }; Out = 'backup.inventory'; Match = 'recorded it as Failed' }
        @{ Case = 'VM configuration never taken'; Items = @{ 'backup.database' = 'Succeeded'; 'backup.registry' = 'Succeeded'; 'backup.inventory' = 'Succeeded'; 'backup.vm-configuration' = 'Skipped' }; Out = 'backup.vm-configuration'; Match = 'recorded backup\.vm-configuration as Succeeded' }
    ) {
        $root = New-PlanDestination -Items $Items
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @($Out)
        $state.Reasons.Phrase | Should -Match $Match
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeFalse
    }

    It 'reports an inventory snapshot changed after the run as Corrupt' {
        $root = New-PlanDestination
        $file = Get-ChildItem -Path (Join-Path $root '*/inventory/*.json') | Select-Object -First 1
        [System.IO.File]::WriteAllText($file.FullName, '{"SchemaVersion":2}')
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @('backup.inventory')
        $state.Reasons.Phrase | Should -Match 'Corrupt: .*does not match its size and SHA-256'
    }

    It 'reports a database backup without its verification record as Unverified' {
        $root = New-PlanDestination
        Get-ChildItem -Path (Join-Path $root '*/database/*.verify.json') | Remove-Item
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root }
        @($state.OutOfDate) | Should -Be @('backup.database')
        $state.Reasons.Phrase | Should -Match 'Unverified: .*no verification record'
    }

    It 'requires the system state only when SystemStateTarget is given, then from a run that recorded it to that target' {
        $root = New-PlanDestination
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root } | Should -BeTrue
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; SystemStateTarget = 'E:' }
        @($state.OutOfDate) | Should -Be @('backup.system-state')
        $items = @{ 'backup.database' = 'Succeeded'; 'backup.registry' = 'Succeeded'; 'backup.inventory' = 'Succeeded'; 'backup.vm-configuration' = 'Succeeded'; 'backup.system-state' = 'Succeeded' }
        $withSystemState = New-PlanDestination -Items $items -SystemStateTarget 'E:'
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $withSystemState; SystemStateTarget = 'E:' } | Should -BeTrue
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $withSystemState; SystemStateTarget = 'F:' } | Should -BeFalse
    }

    It 'applies MaxAgeHours to every item, and leaves out the items in Skip the same in Get and Test' {
        $root = New-PlanDestination -AgeHours 20 -LibraryAge 5
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; MaxAgeHours = 6 }
        @($state.OutOfDate) | Should -Be @('backup.database', 'backup.inventory', 'backup.vm-configuration', 'backup.registry')
        $skip = @('backup.database', 'backup.inventory', 'backup.vm-configuration', 'backup.registry')
        $state = Invoke-VmmDscResource -Name VmmBackupPlan -Method Get -Property @{ Destination = $root; MaxAgeHours = 6; Skip = $skip }
        @($state.OutOfDate).Count | Should -Be 0
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root; MaxAgeHours = 6; Skip = $skip } | Should -BeTrue
        { Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = $root; Skip = @('backup.nothing') } } |
            Should -Throw -ExpectedMessage "*Skip names 'backup.nothing', which is not an item of the backup plan*"
    }

    It 'Set fails, naming the items, when Invoke-VmmBackup reports a failed item' {
        $root = New-PlanDestination -NoLibrary
        $script:Data.Results = @(
            @{ Id = 'backup.library'; State = 'Failed'; Message = '3 library file(s) could not be read' }
            @{ Id = 'backup.plan'; State = 'Failed'; Message = '0 succeeded, 1 failed' }
        )
        { Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property @{ Destination = $root } -Replace $script:StandIn -ReplaceData $script:Data } |
            Should -Throw -ExpectedMessage '*Invoke-VmmBackup ran, but 1 item(s) failed: backup.library (3 library file(s) could not be read)*'
        $call = Get-Content -Raw $script:Data.Log | ConvertFrom-Json
        @($call.Skip | Sort-Object) | Should -Be @('backup.database', 'backup.inventory', 'backup.registry', 'backup.vm-configuration')
    }

    It 'Set fails when the run reports success but the backups still do not pass their checks' {
        $root = New-PlanDestination -NoLibrary
        $script:Data.Results = @(@{ Id = 'backup.library'; State = 'Succeeded'; Message = $null })
        { Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property @{ Destination = $root } -Replace $script:StandIn -ReplaceData $script:Data } |
            Should -Throw -ExpectedMessage '*Invoke-VmmBackup ran, but the desired state was not reached: backup.library: Missing*'
    }

    It 'Set runs the real Invoke-VmmBackup for the items that are not good (the database folder is created first), after which Test is true' {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-TestLibrarySet -Destination (Join-Path $root 'library')
        $desired = @{ Destination = $root; SystemStateTarget = 'E:' }
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property $desired | Should -BeFalse
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property $desired -Replace $script:ItemStandIns -ReplaceData $script:Data
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property $desired | Should -BeTrue
    }

    It 'Set with the real Invoke-VmmBackup fails when one item fails, naming it' {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-TestLibrarySet -Destination (Join-Path $root 'library')
        $script:Data.VMState = 'Failed'
        { Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property @{ Destination = $root } -Replace $script:ItemStandIns -ReplaceData $script:Data } |
            Should -Throw -ExpectedMessage '*failed: backup.vm-configuration (1 of 1 virtual machines failed: vm01 (host hv01 unreachable))*'
    }

    It 'Set changes nothing when every item is good' {
        $root = New-PlanDestination
        Invoke-VmmDscResource -Name VmmBackupPlan -Method Set -Property @{ Destination = $root } -Replace $script:StandIn -ReplaceData $script:Data
        Test-Path $script:Data.Log | Should -BeFalse
    }

    It 'refuses a relative Destination' {
        { Invoke-VmmDscResource -Name VmmBackupPlan -Method Test -Property @{ Destination = 'rel' } } | Should -Throw -ExpectedMessage "*Destination 'rel' is not an absolute path*"
    }
}
