BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmRestorePlan' {
    It 'restores the database first in <Scenario> (after reading the plan), then the rest, then the post-restore steps' -ForEach @(
        @{ Scenario = 'SameComputer' }
        @{ Scenario = 'DifferentComputer' }
        @{ Scenario = 'DatabaseOnly' }
    ) {
        $steps = @(Get-VmmRestorePlan -Scenario $Scenario)
        @($steps | ForEach-Object Order) | Should -Be @(1..$steps.Count)
        $steps[0].Id | Should -Be 'restore.plan'
        $steps[1].Id | Should -Be 'restore.database'
        $steps[1].Cmdlet | Should -Be 'Restore-VmmDatabase'
        $kinds = @($steps | ForEach-Object Kind)
        $lastRestore = [array]::LastIndexOf($kinds, 'restore')
        $firstPost = [array]::IndexOf($kinds, 'post-restore')
        if ($firstPost -ge 0) { $lastRestore | Should -BeLessThan $firstPost }
        foreach ($step in $steps) { { Assert-VmmOutputSchema $step 'Get-VmmRestorePlan' } | Should -Not -Throw }
    }

    It 'holds the steps of the scenario only' {
        $same = @(Get-VmmRestorePlan -Scenario SameComputer | ForEach-Object Id)
        $different = @(Get-VmmRestorePlan DifferentComputer | ForEach-Object Id)
        $databaseOnly = @(Get-VmmRestorePlan -Scenario DatabaseOnly | ForEach-Object Id)
        $different | Should -Contain 'restore.different-computer.reinstall'
        $same | Should -Not -Contain 'restore.different-computer.reinstall'
        $databaseOnly.Count | Should -BeLessThan $same.Count
        foreach ($id in $databaseOnly) { $different | Should -Contain $id }
    }

    It 'refuses a scenario it does not know' {
        { Get-VmmRestorePlan -Scenario Elsewhere } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-VmmRestorePlan'
    }
}
