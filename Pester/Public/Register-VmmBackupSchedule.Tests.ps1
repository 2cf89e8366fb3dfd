BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    $script:Gmsa = 'CONTOSO\svc-vmmbackup$'
    $script:DailyItems = @('backup.database', 'backup.inventory', 'backup.library', 'backup.vm-configuration')
    $script:WeeklyItems = @('backup.registry', 'backup.system-state')

    # The Invoke-VmmBackup call inside a task's arguments, parsed as PowerShell and bound to the real cmdlet.
    function Get-TaskInvocation {
        param([string] $Arguments)
        if ($Arguments -notmatch '^-NoProfile -NonInteractive -Command "(.*)"$') { throw "Unexpected task arguments: $Arguments" }
        $text = $Matches[1]
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
        @($errors).Count | Should -Be 0
        $commands = @($ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] -and $a.GetCommandName() -eq 'Invoke-VmmBackup' }, $true))
        $commands.Count | Should -Be 1
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($commands[0], $true)
        @($binding.BindingExceptions.Keys).Count | Should -Be 0
        $bound = @{}
        foreach ($key in $binding.BoundParameters.Keys) { $bound[$key] = $binding.BoundParameters[$key].Value.SafeGetValue() }
        $bound
    }

    function Get-RegisterCall {
        param([string] $TaskName)
        @(Get-TaskStubCall -CommandName Register-ScheduledTask | Where-Object { $_.BoundParameters['TaskName'] -eq $TaskName })
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Register-VmmBackupSchedule' {
    BeforeEach { Reset-TaskStub }

    It 'registers one task per cadence, in the module''s own folder, with typed output' {
        $out = @(Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa -SystemStateTarget '\\backup01\state' 3>$null)
        $calls = @(Get-TaskStubCall -CommandName Register-ScheduledTask)
        $calls.Count | Should -Be 2
        @($calls | ForEach-Object { $_.BoundParameters['TaskName'] }) | Should -Be @('VmmBackup Daily', 'VmmBackup Weekly')
        foreach ($call in $calls) {
            $call.BoundParameters['TaskPath'] | Should -Be '\VmmBackup\'
            $call.ParameterSetName | Should -Be 'Principal'
            [bool]$call.BoundParameters['Force'] | Should -BeTrue
        }
        $out.Count | Should -Be 2
        foreach ($o in $out) { { Assert-VmmOutputSchema $o 'Register-VmmBackupSchedule' } | Should -Not -Throw }
        @($out[0].Items | Sort-Object) | Should -Be $DailyItems
        @($out[1].Items | Sort-Object) | Should -Be $WeeklyItems
    }

    It 'runs Invoke-VmmBackup for the cadence''s items only' {
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa -SystemStateTarget '\\backup01\state' -KeepLibrarySets 14
        $daily = (Get-RegisterCall 'VmmBackup Daily')[0].BoundParameters['Action'][0]
        $daily.Execute | Should -Be 'powershell.exe'
        $bound = Get-TaskInvocation $daily.Arguments
        $bound['Destination'] | Should -Be '\\backup01\vmm'
        @($bound['Skip'] | Sort-Object) | Should -Be $WeeklyItems
        $bound['KeepLibrarySets'] | Should -Be 14
        $bound.ContainsKey('SystemStateTarget') | Should -BeFalse

        $weekly = (Get-RegisterCall 'VmmBackup Weekly')[0].BoundParameters['Action'][0]
        $bound = Get-TaskInvocation $weekly.Arguments
        @($bound['Skip'] | Sort-Object) | Should -Be $DailyItems
        $bound['SystemStateTarget'] | Should -Be '\\backup01\state'
    }

    It 'keeps a quote in the destination a literal character of the path' {
        $null = Register-VmmBackupSchedule -Destination "\\backup01\o'brien; Remove-Item x" -UserId $Gmsa 3>$null
        $daily = (Get-RegisterCall 'VmmBackup Daily')[0].BoundParameters['Action'][0]
        (Get-TaskInvocation $daily.Arguments)['Destination'] | Should -Be "\\backup01\o'brien; Remove-Item x"
        { Register-VmmBackupSchedule -Destination '\\backup01\a" -x "b' -UserId $Gmsa } | Should -Throw
    }

    It 'triggers the daily task every day and the weekly task on the given days, at the given time' {
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa -At '23:30' -DaysOfWeek Saturday, Wednesday 3>$null
        $triggers = @(Get-TaskStubCall -CommandName New-ScheduledTaskTrigger)
        $triggers.Count | Should -Be 2
        $triggers[0].ParameterSetName | Should -Be 'Daily'
        $triggers[0].BoundParameters['At'].ToString('HH:mm') | Should -Be '23:30'
        $triggers[1].ParameterSetName | Should -Be 'Weekly'
        @($triggers[1].BoundParameters['DaysOfWeek'] | ForEach-Object { [string]$_ }) | Should -Be @('Saturday', 'Wednesday')
        $triggers[1].BoundParameters['At'].ToString('HH:mm') | Should -Be '23:30'
        (Get-RegisterCall 'VmmBackup Daily')[0].BoundParameters['Trigger'][0].Daily | Should -BeTrue
    }

    It 'runs under the gMSA with LogonType Password, and no password anywhere' {
        $out = @(Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa 3>$null)
        $principal = @(Get-TaskStubCall -CommandName New-ScheduledTaskPrincipal)
        $principal.Count | Should -Be 1
        $principal[0].ParameterSetName | Should -Be 'User'
        $principal[0].BoundParameters['UserId'] | Should -Be $Gmsa
        [string]$principal[0].BoundParameters['LogonType'] | Should -Be 'Password'
        foreach ($call in Get-TaskStubCall -CommandName Register-ScheduledTask) {
            $call.BoundParameters['Principal'].UserId | Should -Be $Gmsa
            $call.BoundParameters.Contains('Password') | Should -BeFalse
            $call.BoundParameters.Contains('User') | Should -BeFalse
            $call.BoundParameters['Action'][0].Arguments | Should -Not -Match '(?i)password|credential'
        }
        $out[0].UserId | Should -Be $Gmsa
        $out[0].LogonType | Should -Be 'Password'
    }

    It 'runs SYSTEM as a service account and refuses an account that would need a stored password' {
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId 'NT AUTHORITY\SYSTEM' 3>$null
        [string](Get-TaskStubCall -CommandName New-ScheduledTaskPrincipal)[0].BoundParameters['LogonType'] | Should -Be 'ServiceAccount'
        Reset-TaskStub
        { Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId 'CONTOSO\alice' -ErrorAction Stop } | Should -Throw -ErrorId 'VmmBackup.ScheduleAccount*'
        @(Get-TaskStubCall -CommandName Register-ScheduledTask).Count | Should -Be 0
    }

    It 'registered twice gives one set of tasks, updated' {
        $null = Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa 3>$null
        $null = Register-VmmBackupSchedule -Destination '\\backup02\vmm' -UserId $Gmsa -At '22:00' 3>$null
        $tasks = @(Get-ScheduledTask -TaskPath '\VmmBackup\')
        $tasks.Count | Should -Be 2
        foreach ($task in $tasks) {
            $task.Triggers[0].At.ToString('HH:mm') | Should -Be '22:00'
            (Get-TaskInvocation $task.Actions[0].Arguments)['Destination'] | Should -Be '\\backup02\vmm'
        }
    }

    It '-WhatIf registers nothing' {
        $out = @(Register-VmmBackupSchedule -Destination '\\backup01\vmm' -UserId $Gmsa -WhatIf 3>$null)
        $out.Count | Should -Be 0
        @(Get-TaskStubCall -CommandName Register-ScheduledTask).Count | Should -Be 0
        @(Get-ScheduledTask -TaskPath '\VmmBackup\' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}
