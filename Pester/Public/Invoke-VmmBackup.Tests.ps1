<#
    Invoke-VmmBackup runs the backup plan: the public backup cmdlets are mocked (they write real files where they
    are told to), the library backup and the verification run for real. One result per plan item; one failing
    item never stops the others.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function Write-TestDatabaseBackup {
        # What Backup-VmmDatabase leaves: a .bak starting with the MTF TAPE block and, unless -NoRecord, the
        # RESTORE VERIFYONLY record naming it; returns the object the cmdlet returns (which says Verified).
        param([string] $Folder, [switch] $NoRecord)
        $file = Join-Path $Folder 'VirtualManagerDB_20261127_020000.bak'
        $bytes = New-Object byte[] 2048
        [System.Text.Encoding]::ASCII.GetBytes('TAPE').CopyTo($bytes, 0)
        [System.IO.File]::WriteAllBytes($file, $bytes)
        if (-not $NoRecord) { New-TestVerificationRecord -Path $file }
        [pscustomobject]@{ PSTypeName = 'VmmBackup.DatabaseBackup'; Path = $file; Verified = $true }
    }

    function Set-BackupMocks {
        Mock -ModuleName VmmBackup Backup-VmmDatabase {
            $null = New-Item -ItemType Directory -Path $Path -Force
            Write-TestDatabaseBackup -Folder $Path
        }
        Mock -ModuleName VmmBackup Backup-VmmRegistrySetting {
            $null = New-Item -ItemType Directory -Path $Path -Force
            $file = Join-Path $Path 'VmmSettings_20261127_020000.reg'
            $text = "Windows Registry Editor Version 5.00`r`n`r`n[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings]`r`n`"IndigoTcpPort`"=dword:00001fa4`r`n"
            [System.IO.File]::WriteAllText($file, $text, [System.Text.Encoding]::Unicode)
            [pscustomobject]@{ PSTypeName = 'VmmBackup.RegistryBackup'; Path = $file }
        }
        Mock -ModuleName VmmBackup Export-VmmInventory {
            $null = New-Item -ItemType Directory -Path $Path -Force
            $file = Join-Path $Path 'VmmInventory_20261127_020000.json'
            [System.IO.File]::WriteAllText($file, '{"SchemaVersion":1}')
            [pscustomobject]@{ PSTypeName = 'VmmBackup.InventorySnapshot'; Path = $file }
        }
        Mock -ModuleName VmmBackup Backup-VmmVMConfiguration {
            $folder = Join-Path $Destination 'hv01/vm01'
            $null = New-Item -ItemType Directory -Path $folder -Force
            [System.IO.File]::WriteAllText((Join-Path $folder 'A1B2.vmcx'), 'configuration')
            [pscustomobject]@{ PSTypeName = 'VmmBackup.VMConfigurationBackup'; VMName = 'vm01'; State = 'Succeeded'; Message = $null }
        }
        Mock -ModuleName VmmBackup Backup-VmmSystemState {
            [pscustomobject]@{ PSTypeName = 'VmmBackup.SystemStateBackup'; BackupTarget = $BackupTarget; ExitCode = 0; VersionIdentifier = '11/27/2026-02:00'; State = 'Succeeded' }
        }
    }

    function New-NotImplemented {
        param([string] $Name)
        $exception = New-Object System.NotImplementedException "$Name is not implemented in VmmBackup 0.1.0. Nothing was changed."
        New-Object System.Management.Automation.ErrorRecord $exception, 'VmmBackup.NotImplemented', ([System.Management.Automation.ErrorCategory]::NotImplemented), $null
    }

    function Get-Result {
        param($Results, [string] $Id)
        $found = @($Results | Where-Object { $_.Id -eq $Id })
        if ($found.Count -ne 1) { throw "expected one result for $Id, got $($found.Count)" }
        $found[0]
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Invoke-VmmBackup' {
    BeforeEach {
        Reset-VmmStub
        Set-BackupMocks
        $id = [guid]::NewGuid().ToString('N')
        $script:libraryShare = Join-Path $TestDrive "library $id"
        $null = New-Item -ItemType Directory -Path $script:libraryShare
        [System.IO.File]::WriteAllText((Join-Path $script:libraryShare "base'];.vhdx"), 'disk')
        Set-VmmStubBehavior Get-SCLibraryShare { New-VmmStubObject LibraryShare @{ Path = $script:libraryShare; Name = 'MSSCVMMLibrary' } }
        $destination = Join-Path $TestDrive "vmm backup;[$id]'s"
    }

    Context 'a run where every cmdlet works' {
        BeforeEach {
            $results = @(Invoke-VmmBackup -Destination $destination -VMMServer 'vmm01' -SystemStateTarget 'E:' -Confirm:$false)
            $setPath = (Get-Result $results 'backup.plan').Output
        }

        It 'writes one result per plan item, in plan order, with the schema of its output' {
            $planIds = @(Get-VmmBackupPlan | ForEach-Object { $_.Id })
            @($results | ForEach-Object { $_.Id }) | Should -Be $planIds
            foreach ($result in $results) { Assert-VmmOutputSchema -InputObject $result -CmdletName 'Invoke-VmmBackup' }
        }

        It 'runs each backup cmdlet once into the new set and reports what it wrote' {
            $setPath | Should -Not -BeNullOrEmpty
            (Split-Path $setPath -Parent) | Should -Be $destination
            foreach ($itemId in 'backup.database', 'backup.registry', 'backup.inventory', 'backup.vm-configuration', 'backup.library', 'backup.system-state') {
                (Get-Result $results $itemId).State | Should -Be 'Succeeded' -Because "$itemId : $((Get-Result $results $itemId).Message)"
            }
            Should -Invoke -ModuleName VmmBackup Backup-VmmDatabase -Times 1 -Exactly -ParameterFilter { $Path -eq (Join-Path $setPath 'database') -and $VMMServer -eq 'vmm01' }
            Should -Invoke -ModuleName VmmBackup Backup-VmmRegistrySetting -Times 1 -Exactly -ParameterFilter { $Path -eq (Join-Path $setPath 'registry') }
            Should -Invoke -ModuleName VmmBackup Export-VmmInventory -Times 1 -Exactly -ParameterFilter { $Path -eq (Join-Path $setPath 'inventory') -and $VMMServer -eq 'vmm01' }
            Should -Invoke -ModuleName VmmBackup Backup-VmmVMConfiguration -Times 1 -Exactly -ParameterFilter { $Destination -eq (Join-Path $setPath 'vmconfig') }
            Should -Invoke -ModuleName VmmBackup Backup-VmmSystemState -Times 1 -Exactly -ParameterFilter { $BackupTarget -eq 'E:' }
            (Get-Result $results 'backup.database').Output | Should -Be (Join-Path $setPath 'database/VirtualManagerDB_20261127_020000.bak')
            (Get-Result $results 'backup.system-state').Output | Should -BeLike 'E: (version*'
            (Get-Result $results 'backup.library').Output | Should -BeLike (Join-Path $destination 'library/sets/*').Replace('[', '`[').Replace(']', '`]')
        }

        It 'reports the items no cmdlet performs as ActionRequired, with their instructions' {
            $credentials = Get-Result $results 'backup.credentials'
            $credentials.State | Should -Be 'ActionRequired'
            $credentials.Message | Should -BeLike '1. *Credential Manager*'
            (Get-Result $results 'backup.hosts-vss').State | Should -Be 'ActionRequired'
            (Get-Result $results 'check.checkpoints-not-backups').Message | Should -BeLike '*Get-VmmCheckpointReport*'
        }

        It 'commits the set with backup-set.json and verifies it Good' {
            Test-Path -LiteralPath (Join-Path $setPath 'backup-set.json') | Should -BeTrue
            (Get-Result $results 'check.backup-set').State | Should -Be 'Succeeded' -Because (Get-Result $results 'check.backup-set').Message
            $plan = Get-Result $results 'backup.plan'
            $plan.State | Should -Be 'Succeeded'
            $plan.Message | Should -BeLike '*0 failed*'
            $rows = @(Test-VmmBackup -Path $destination)
            $rows.Count | Should -Be 6
            @($rows | Where-Object State -NE 'Good') | Should -BeNullOrEmpty
        }

        It 'gives every result the state of the whole run: Succeeded' {
            @($results | ForEach-Object { $_.RunState } | Sort-Object -Unique) | Should -Be @('Succeeded')
        }
    }

    It 'creates the database folder before Backup-VmmDatabase writes there (BACKUP TO DISK creates no folder)' {
        Mock -ModuleName VmmBackup Backup-VmmDatabase {
            # As SQL Server: "Cannot open backup device ... Operating system error 3" when the folder is missing.
            if (-not [System.IO.Directory]::Exists($Path)) { throw "Cannot open backup device '$Path'. Operating system error 3(The system cannot find the path specified.)." }
            Write-TestDatabaseBackup -Folder $Path
        }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false)
        $database = Get-Result $results 'backup.database'
        $database.State | Should -Be 'Succeeded' -Because $database.Message
        Test-Path -LiteralPath $database.Output -PathType Leaf | Should -BeTrue
    }

    It 'fails the set check when the database backup has no RESTORE VERIFYONLY record, whatever the backup cmdlet said' {
        Mock -ModuleName VmmBackup Backup-VmmDatabase {
            $null = New-Item -ItemType Directory -Path $Path -Force
            Write-TestDatabaseBackup -Folder $Path -NoRecord
        }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false)
        $check = Get-Result $results 'check.backup-set'
        $check.State | Should -Be 'Failed'
        $check.Message | Should -BeLike '*Database Unverified*'
        $check.RunState | Should -Be 'Failed'
    }

    It 'reports a database backup that was not verified as Failed, not Succeeded' {
        Mock -ModuleName VmmBackup Backup-VmmDatabase {
            $file = Join-Path $Path 'VirtualManagerDB-vmm.bak'
            [System.IO.File]::WriteAllText($file, 'TAPE')
            Write-Warning "The backup '$file' is not verified: the SQL Server instance is unknown (give -SqlServer)."
            [pscustomobject]@{ PSTypeName = 'VmmBackup.DatabaseBackup'; Path = $file; Verified = $false }
        }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false -WarningAction SilentlyContinue)
        $database = Get-Result $results 'backup.database'
        $database.State | Should -Be 'Failed'
        $database.Message | Should -BeLike 'The database backup was not verified*'
        $database.RunState | Should -Be 'Failed'
    }

    It 'gives every result the state of the whole run, Failed when an item failed, and warns naming it' {
        Mock -ModuleName VmmBackup Backup-VmmVMConfiguration { [pscustomobject]@{ PSTypeName = 'VmmBackup.VMConfigurationBackup'; VMName = 'vm01'; State = 'Failed'; Message = 'host unreachable' } }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue)
        (Get-Result $results 'backup.vm-configuration').State | Should -Be 'Failed'
        (Get-Result $results 'backup.database').State | Should -Be 'Succeeded'
        @($results | ForEach-Object { $_.RunState } | Sort-Object -Unique) | Should -Be @('Failed')
        foreach ($result in $results) { Assert-VmmOutputSchema -InputObject $result -CmdletName 'Invoke-VmmBackup' }
        @($warnings | Where-Object { "$_" -like '*failed: backup.vm-configuration*' }).Count | Should -Be 1
    }

    It 'reports a cmdlet that is not implemented as Failed and runs the others' {
        Mock -ModuleName VmmBackup Export-VmmInventory { throw (New-NotImplemented 'Export-VmmInventory') }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false)
        $inventory = Get-Result $results 'backup.inventory'
        $inventory.State | Should -Be 'Failed'
        $inventory.Message | Should -BeLike 'VmmBackup.NotImplemented*Export-VmmInventory is not implemented*'
        (Get-Result $results 'backup.vm-configuration').State | Should -Be 'Succeeded'
        (Get-Result $results 'backup.library').State | Should -Be 'Succeeded'
        (Get-Result $results 'backup.registry').State | Should -Be 'Succeeded'
        Should -Invoke -ModuleName VmmBackup Backup-VmmRegistrySetting -Times 1 -Exactly
        (Get-Result $results 'backup.plan').State | Should -Be 'Failed'
        (Get-Result $results 'check.backup-set').State | Should -Be 'Failed'
        (Get-Result $results 'check.backup-set').Message | Should -BeLike '*Inventory Missing*'
    }

    It 'reports an item whose cmdlet throws, or writes an error, as Failed' {
        Mock -ModuleName VmmBackup Backup-VmmDatabase { throw 'Cannot open database "VirtualManagerDB" requested by the login.' }
        Mock -ModuleName VmmBackup Backup-VmmRegistrySetting { Write-Error 'The VMM settings key does not exist.' -ErrorAction Continue; [pscustomobject]@{ Path = 'x' } }
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false)
        (Get-Result $results 'backup.database').State | Should -Be 'Failed'
        (Get-Result $results 'backup.database').Message | Should -BeLike '*Cannot open database*'
        (Get-Result $results 'backup.registry').State | Should -Be 'Failed'
        (Get-Result $results 'backup.registry').Message | Should -BeLike '1 error(s)*settings key does not exist*'
        (Get-Result $results 'backup.inventory').State | Should -Be 'Succeeded'
    }

    It 'reports the library item Failed when a share gave no file (an empty or unmounted share), and the run Failed' {
        Get-ChildItem -LiteralPath $script:libraryShare -Force | Remove-Item -Force
        $results = @(Invoke-VmmBackup -Destination $destination -Confirm:$false -WarningAction SilentlyContinue)
        $result = Get-Result $results 'backup.library'
        $result.State | Should -Be 'Failed'
        $result.Message | Should -BeLike 'The library backup set is Missing*'
        @($results | Where-Object RunState -ne 'Failed').Count | Should -Be 0
    }

    It 'reports the VM configuration item Failed when a virtual machine failed' {
        Mock -ModuleName VmmBackup Backup-VmmVMConfiguration {
            [pscustomobject]@{ VMName = 'vm01'; State = 'Succeeded'; Message = $null }
            [pscustomobject]@{ VMName = "vm'02;]"; State = 'Failed'; Message = 'host unreachable' }
        }
        $result = Get-Result @(Invoke-VmmBackup -Destination $destination -Confirm:$false) 'backup.vm-configuration'
        $result.State | Should -Be 'Failed'
        $result.Message | Should -BeLike "1 of 2 virtual machines failed: vm'02;] (host unreachable)*"
    }

    It 'skips the items named in -Skip, and the system state without a target' {
        $results = @(Invoke-VmmBackup -Destination $destination -Skip 'backup.library', 'backup.registry' -Confirm:$false)
        (Get-Result $results 'backup.library').State | Should -Be 'Skipped'
        (Get-Result $results 'backup.registry').State | Should -Be 'Skipped'
        (Get-Result $results 'backup.system-state').State | Should -Be 'Skipped'
        (Get-Result $results 'backup.system-state').Message | Should -BeLike '*-SystemStateTarget*'
        Should -Invoke -ModuleName VmmBackup Backup-VmmRegistrySetting -Times 0 -Exactly
        Should -Invoke -ModuleName VmmBackup Backup-VmmSystemState -Times 0 -Exactly
        Test-Path -LiteralPath (Join-Path $destination 'library') | Should -BeFalse
        # What was skipped on purpose does not fail the verification of the set; the rest is verified.
        (Get-Result $results 'check.backup-set').State | Should -Be 'Succeeded' -Because (Get-Result $results 'check.backup-set').Message
        (Get-Result $results 'backup.plan').State | Should -Be 'Succeeded'
    }

    It 'refuses an id that is not in the backup plan, before doing anything' {
        { Invoke-VmmBackup -Destination $destination -Skip 'backup.nothing' -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.UnknownPlanItem*'
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        $results = Invoke-VmmBackup -Destination $destination -SystemStateTarget 'E:' -WhatIf
        $results | Should -BeNullOrEmpty
        Test-Path -LiteralPath $destination | Should -BeFalse
        Should -Invoke -ModuleName VmmBackup Backup-VmmDatabase -Times 0 -Exactly
        Should -Invoke -ModuleName VmmBackup Backup-VmmSystemState -Times 0 -Exactly
        Get-VmmStubCall -CommandName Get-SCLibraryShare | Should -BeNullOrEmpty
    }

    It 'refuses a root directory as destination' {
        { Invoke-VmmBackup -Destination '/' -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.RootDestination*'
        Should -Invoke -ModuleName VmmBackup Backup-VmmDatabase -Times 0 -Exactly
    }

    It 'fails clearly when the destination cannot be created' {
        $file = Join-Path $TestDrive ('file' + [guid]::NewGuid().ToString('N'))
        [System.IO.File]::WriteAllText($file, 'not a folder')
        { Invoke-VmmBackup -Destination (Join-Path $file 'backup') -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.DestinationUnreachable*'
        Should -Invoke -ModuleName VmmBackup Backup-VmmDatabase -Times 0 -Exactly
    }

    It 'keeps the library incremental across runs (one library destination shared by the sets)' {
        $first = Get-Result @(Invoke-VmmBackup -Destination $destination -Confirm:$false) 'backup.library'
        Start-Sleep -Milliseconds 1100
        $second = Get-Result @(Invoke-VmmBackup -Destination $destination -Confirm:$false) 'backup.library'
        $second.Output | Should -Not -Be $first.Output
        (Split-Path (Split-Path $second.Output -Parent) -Parent) | Should -Be (Join-Path $destination 'library')
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'library/objects') -Recurse -File | Where-Object { $_.Directory.Name -ne 'tmp' }).Count | Should -Be 1
    }
}
