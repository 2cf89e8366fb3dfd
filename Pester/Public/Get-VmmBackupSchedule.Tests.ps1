BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $script:Gmsa = 'CONTOSO\svc-vmmbackup$'
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmBackupSchedule' {
    BeforeEach { Reset-TaskStub }

    It 'returns nothing, without an error, when no schedule is registered' {
        $out = @(Get-VmmBackupSchedule -ErrorAction Stop)
        $out.Count | Should -Be 0
        $calls = @(Get-TaskStubCall -CommandName Get-ScheduledTask)
        $calls.Count | Should -Be 1
        @($calls[0].BoundParameters['TaskPath']) | Should -Be @('\VmmBackup\')
    }

    It 'reads back what Register-VmmBackupSchedule registered' {
        $registered = @(Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa 3>$null)
        $out = @(Get-VmmBackupSchedule | Sort-Object TaskName)
        $out.Count | Should -Be 2
        foreach ($i in 0, 1) {
            { Assert-VmmOutputSchema $out[$i] 'Get-VmmBackupSchedule' } | Should -Not -Throw
            $out[$i].TaskName | Should -Be $registered[$i].TaskName
            $out[$i].TaskPath | Should -Be '\VmmBackup\'
            $out[$i].Cadence | Should -Be $registered[$i].Cadence
            @($out[$i].Items) | Should -Be @($registered[$i].Items)
            $out[$i].UserId | Should -Be $Gmsa
            $out[$i].LogonType | Should -Be 'Password'
            $out[$i].Execute | Should -Be 'powershell.exe'
            $out[$i].Arguments | Should -Be $registered[$i].Arguments
            $out[$i].State | Should -Be 'Ready'
        }
        @($out[0].Items | Sort-Object) | Should -Be @('backup.database', 'backup.inventory', 'backup.library', 'backup.vm-configuration')
    }

    It 'leaves out tasks the module did not register' {
        $action = New-ScheduledTaskAction -Execute 'cmd.exe'
        $null = Register-ScheduledTask -TaskName 'Other' -TaskPath '\VmmBackup\' -Action $action
        $null = Register-ScheduledTask -TaskName 'VmmBackup Daily' -TaskPath '\Elsewhere\' -Action $action
        @(Get-VmmBackupSchedule).Count | Should -Be 0
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa 3>$null
        @(Get-VmmBackupSchedule | ForEach-Object { $_.TaskPath + $_.TaskName } | Sort-Object) | Should -Be @('\VmmBackup\VmmBackup Daily', '\VmmBackup\VmmBackup Weekly')
    }
}
