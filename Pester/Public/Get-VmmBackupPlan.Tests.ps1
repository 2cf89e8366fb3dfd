BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmBackupPlan' {
    BeforeAll { $plan = @(Get-VmmBackupPlan) }

    It 'returns the backup plan in order, each item shaped as its output schema' {
        $plan.Count | Should -BeGreaterThan 10
        @($plan | ForEach-Object Order) | Should -Be @(1..$plan.Count)
        @($plan | ForEach-Object Id | Select-Object -Unique).Count | Should -Be $plan.Count
        foreach ($item in $plan) {
            { Assert-VmmOutputSchema $item 'Get-VmmBackupPlan' } | Should -Not -Throw
            $item.Kind | Should -BeIn @('backup', 'check')
        }
        $plan[0].Id | Should -Be 'backup.plan'
        $plan[0].Cmdlet | Should -Be 'Invoke-VmmBackup'
    }

    It 'names the cmdlet of every automated item and the instructions of every manual one' {
        ($plan | Where-Object Id -eq 'backup.database').Cmdlet | Should -Be 'Backup-VmmDatabase'
        ($plan | Where-Object Id -eq 'backup.library').Cmdlet | Should -Be 'Backup-VmmLibraryShare'
        foreach ($item in $plan) {
            if ($item.Automated) {
                $item.Cmdlet | Should -Not -BeNullOrEmpty -Because "$($item.Id) is automated"
            } else {
                @($item.Instructions).Count | Should -BeGreaterThan 0 -Because "$($item.Id) is done by hand"
            }
        }
    }

    It 'orders each item after the items it depends on' {
        $order = @{}
        foreach ($item in $plan) { $order[$item.Id] = $item.Order }
        foreach ($item in $plan) {
            foreach ($before in @($item.After)) {
                if ($order.ContainsKey($before)) { $order[$before] | Should -BeLessThan $item.Order -Because "$($item.Id) runs after $before" }
            }
        }
    }

    It 'with -Automated returns the automated items only, in the same order' {
        $automated = @(Get-VmmBackupPlan -Automated)
        $automated.Count | Should -BeGreaterThan 0
        $automated.Count | Should -BeLessThan $plan.Count
        @($automated | ForEach-Object Id) | Should -Be @($plan | Where-Object Automated | ForEach-Object Id)
        @($automated | Where-Object { -not $_.Automated }).Count | Should -Be 0
    }

    It 'keeps the daily items at most a day old and the system state at most a week' {
        ($plan | Where-Object Id -eq 'backup.database').MaxAgeHours | Should -Be 24
        ($plan | Where-Object Id -eq 'backup.system-state').MaxAgeHours | Should -Be 168
    }
}
