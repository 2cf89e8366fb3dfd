BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $script:Gmsa = 'CONTOSO\svc-vmmbackup$'

    function Get-StoredTaskKey {
        @(Get-ScheduledTask -ErrorAction SilentlyContinue | ForEach-Object { $_.TaskPath + $_.TaskName } | Sort-Object)
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Unregister-VmmBackupSchedule' {
    BeforeEach {
        Reset-TaskStub
        $action = New-ScheduledTaskAction -Execute 'cmd.exe'
        $null = Register-ScheduledTask -TaskName 'Other' -TaskPath '\VmmBackup\' -Action $action
        $null = Register-ScheduledTask -TaskName 'VmmBackup Daily' -TaskPath '\Elsewhere\' -Action $action
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa 3>$null
    }

    It 'removes the module''s tasks and no other' {
        $out = @(Unregister-VmmBackupSchedule -Confirm:$false)
        $calls = @(Get-TaskStubCall -CommandName Unregister-ScheduledTask)
        $calls.Count | Should -Be 2
        foreach ($call in $calls) { @($call.BoundParameters['TaskPath']) | Should -Be @('\VmmBackup\') }
        @($calls | ForEach-Object { @($_.BoundParameters['TaskName']) } | Sort-Object) | Should -Be @('VmmBackup Daily', 'VmmBackup Weekly')
        Get-StoredTaskKey | Should -Be @('\Elsewhere\VmmBackup Daily', '\VmmBackup\Other')
        $out.Count | Should -Be 2
        foreach ($o in $out) {
            { Assert-VmmOutputSchema $o 'Unregister-VmmBackupSchedule' } | Should -Not -Throw
            $o.State | Should -Be 'Removed'
        }
        @(Get-VmmBackupSchedule).Count | Should -Be 0
    }

    It 'removes only the tasks of the given cadence' {
        $null = Unregister-VmmBackupSchedule -Cadence Weekly -Confirm:$false
        @(Get-VmmBackupSchedule | ForEach-Object { $_.Cadence }) | Should -Be @('Daily')
    }

    It '-WhatIf removes nothing' {
        $out = @(Unregister-VmmBackupSchedule -WhatIf)
        $out.Count | Should -Be 0
        @(Get-TaskStubCall -CommandName Unregister-ScheduledTask).Count | Should -Be 0
        @(Get-VmmBackupSchedule).Count | Should -Be 2
    }

    It 'does nothing when no schedule is registered' {
        $null = Unregister-VmmBackupSchedule -Confirm:$false
        Reset-TaskStub
        @(Unregister-VmmBackupSchedule -Confirm:$false -ErrorAction Stop).Count | Should -Be 0
        @(Get-TaskStubCall -CommandName Unregister-ScheduledTask).Count | Should -Be 0
    }
}
