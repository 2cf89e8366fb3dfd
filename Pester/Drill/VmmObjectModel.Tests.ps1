<#
    Get-VmmObjectModel (the VMM property names and state values the generated module uses) must say exactly what
    src/model/vmm-states.ts says, so that a correction in one place cannot silently miss the other.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Push-Location $repoRoot
    try {
        $script:json = & (Join-Path $repoRoot 'node_modules/.bin/tsx') -e "import { vmmStates, vmmRegistry, vmmDkm } from './src/model/vmm-states'; console.log(JSON.stringify({ states: vmmStates, settingsKey: vmmRegistry.settingsKey, dkm: vmmDkm }))"
    } finally {
        Pop-Location
    }
    $script:ts = $script:json | ConvertFrom-Json
    $script:ps = InModuleScope VmmBackup { Get-VmmObjectModel }

    function Compare-ModelNode {
        # Differences between a node of vmm-states.ts (from JSON) and the matching hashtable, keys compared without case.
        param($Ts, $Ps, [string] $Where)
        if ($Ts -is [System.Management.Automation.PSCustomObject]) {
            if ($Ps -isnot [hashtable]) { return "$Where is a table in vmm-states.ts but not in Get-VmmObjectModel" }
            $names = @($Ts.PSObject.Properties.Name)
            foreach ($name in $names) {
                if (-not $Ps.ContainsKey($name)) { "$Where.$name is missing from Get-VmmObjectModel"; continue }
                Compare-ModelNode -Ts $Ts.$name -Ps $Ps[$name] -Where "$Where.$name"
            }
            foreach ($key in $Ps.Keys) { if ($names -notcontains $key) { "$Where.$key is in Get-VmmObjectModel only" } }
            return
        }
        if ((@($Ts) -join '|') -cne (@($Ps) -join '|')) { "$Where is '$(@($Ts) -join '|')' in vmm-states.ts but '$(@($Ps) -join '|')' in Get-VmmObjectModel" }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Get-VmmObjectModel mirrors src/model/vmm-states.ts' {
    It 'has the same property names and state values' {
        $expected = @{}
        foreach ($p in $script:ts.states.PSObject.Properties) { $expected[$p.Name] = $p.Value }
        $expected['settingsKey'] = $script:ts.settingsKey
        $expected['dkm'] = $script:ts.dkm
        $tsRoot = [pscustomobject]$expected
        $differences = @(Compare-ModelNode -Ts $tsRoot -Ps $script:ps -Where 'model')
        $differences | Should -BeNullOrEmpty
    }

    It 'notices a difference' {
        $changed = InModuleScope VmmBackup { Get-VmmObjectModel }
        $changed.VM.Missing = 'Absent'
        $changed.Remove('Cloud')
        $expected = @{}
        foreach ($p in $script:ts.states.PSObject.Properties) { $expected[$p.Name] = $p.Value }
        $expected['settingsKey'] = $script:ts.settingsKey
        $expected['dkm'] = $script:ts.dkm
        $differences = @(Compare-ModelNode -Ts ([pscustomobject]$expected) -Ps $changed -Where 'model')
        $differences.Count | Should -Be 2
        "$differences" | Should -Match 'model.vm.missing'
        "$differences" | Should -Match 'model.cloud is missing'
    }
}
