BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function Get-VersionsOutput {
        param([string[]] $Identifier)
        'wbadmin 1.0 - Backup command-line tool'
        foreach ($id in $Identifier) {
            "Backup time: $id"
            'Backup target: Fixed Disk labeled E:'
            "Version identifier: $id"
            'Can recover: Volume(s), File(s), Application(s), Bare Metal Recovery, System State'
            ''
        }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Backup-VmmSystemState' {
    BeforeEach {
        $script:versions = [System.Collections.Generic.List[string]]@('11/20/2026-01:00')
        $script:startExit = 0
        $script:addVersion = $true
        Mock -ModuleName VmmBackup Invoke-VmmWbadmin {
            if ($ArgumentList[0] -eq 'get') {
                return [pscustomobject]@{ ExitCode = 0; Output = [string[]]@(Get-VersionsOutput -Identifier $script:versions) }
            }
            if ($script:addVersion) { $script:versions.Add('11/27/2026-10:30') }
            [pscustomobject]@{ ExitCode = $script:startExit; Output = [string[]]@('The backup operation successfully completed.') }
        }
    }

    It 'runs wbadmin start systemstatebackup with its arguments as an array and finds the new version' {
        $result = Backup-VmmSystemState -BackupTarget 'e:'

        { Assert-VmmOutputSchema $result 'Backup-VmmSystemState' } | Should -Not -Throw
        $result.State | Should -Be 'Succeeded'
        $result.ExitCode | Should -Be 0
        $result.BackupTarget | Should -Be 'E:'
        $result.VersionIdentifier | Should -Be '11/27/2026-10:30'
        $result.EndTime | Should -BeGreaterOrEqual $result.StartTime
        Should -Invoke -ModuleName VmmBackup Invoke-VmmWbadmin -Times 1 -Exactly -ParameterFilter {
            ($ArgumentList -join '|') -eq 'start|systemstatebackup|-backupTarget:E:|-quiet' -and $ArgumentList.Count -eq 4
        }
        Should -Invoke -ModuleName VmmBackup Invoke-VmmWbadmin -Times 2 -Exactly -ParameterFilter {
            ($ArgumentList -join '|') -eq 'get|versions|-backupTarget:E:'
        }
    }

    It 'accepts a UNC share as target' {
        $result = Backup-VmmSystemState -BackupTarget '\\backup01\systemstate\vmm01\'
        $result.State | Should -Be 'Succeeded'
        $result.BackupTarget | Should -Be '\\backup01\systemstate\vmm01'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmWbadmin -ParameterFilter { $ArgumentList[2] -eq '-backupTarget:\\backup01\systemstate\vmm01' }
    }

    It 'reports Failed with an error when wbadmin exits non-zero' {
        $script:startExit = 5
        $script:addVersion = $false
        $result = Backup-VmmSystemState -BackupTarget 'E:' -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Failed'
        $result.ExitCode | Should -Be 5
        $result.VersionIdentifier | Should -BeNullOrEmpty
        "$($errors[-1])" | Should -Match 'exit code 5'
    }

    It 'reports Failed when wbadmin says it succeeded but no new version exists' {
        $script:addVersion = $false
        $result = Backup-VmmSystemState -BackupTarget 'E:' -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Failed'
        $result.ExitCode | Should -Be 0
        "$($errors[-1])" | Should -Match 'no new system state version'
    }

    It 'refuses a target that is neither a volume nor a share, before running wbadmin' -ForEach @(
        @{ Target = 'E: -quiet' }, @{ Target = "E:';calc" }, @{ Target = '\\server' }, @{ Target = 'backup]folder' }, @{ Target = 'E:\Backups' }
    ) {
        { Backup-VmmSystemState -BackupTarget $Target } | Should -Throw '*neither a volume*'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmWbadmin -Times 0 -Exactly
    }

    It 'runs nothing with -WhatIf' {
        $result = Backup-VmmSystemState -BackupTarget 'E:' -WhatIf
        $result | Should -BeNullOrEmpty
        Should -Invoke -ModuleName VmmBackup Invoke-VmmWbadmin -Times 0 -Exactly
    }
}

Describe 'Invoke-VmmWbadmin' {
    It 'says how to get wbadmin when it is missing' {
        { InModuleScope VmmBackup { Invoke-VmmWbadmin -ArgumentList 'get', 'versions' } } | Should -Throw '*Windows Server Backup*'
    }
}
