BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function New-Difference {
        param([string] $Action, [string] $ObjectType, [string] $Name, [string] $VMHost = $null)
        [pscustomobject][ordered]@{ PSTypeName = 'VmmBackup.InventoryDifference'; Action = $Action; ObjectType = $ObjectType; Name = $Name; VMHost = $VMHost; State = $null; Reason = 'test' }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Sync-VmmInventory' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCVMHost {
            param($Call)
            $all = @(New-TestHost 'hv01'; New-TestHost "hv'02;]" -State NotResponding)
            $all | Where-Object { -not $Call.BoundParameters.Contains('ComputerName') -or $_.ComputerName -eq $Call.BoundParameters['ComputerName'] }
        }
        Set-VmmStubBehavior Get-SCVirtualMachine {
            param($Call)
            $all = @(New-TestVM 'vm01' 'hv01'; New-TestVM "vm'gone]" 'hv01' -Status Missing)
            $all | Where-Object { -not $Call.BoundParameters.Contains('Name') -or $_.Name -eq $Call.BoundParameters['Name'] }
        }
        $differences = @(
            New-Difference Remove Host "hv'02;]"
            New-Difference Remove VirtualMachine "vm'gone]" 'hv01'
            New-Difference Add Host "hv'03;]"
            New-Difference Add VirtualMachine 'vm-new' 'hv01'
        )
    }

    It 'removes stale hosts and missing VMs with the published parameters, and says exactly how to add new ones' {
        $results = @($differences | Sync-VmmInventory -VMMServer vmm01 -Confirm:$false)
        $results.Count | Should -Be 4
        foreach ($result in $results) { { Assert-VmmOutputSchema $result 'Sync-VmmInventory' } | Should -Not -Throw }
        @($results.State) | Should -Be @('Succeeded', 'Succeeded', 'ActionRequired', 'ActionRequired')

        $removeHost = @(Get-VmmStubCall -CommandName Remove-SCVMHost)
        $removeHost.Count | Should -Be 1
        $removeHost[0].ParameterSetName | Should -Be 'ForceRemoval'
        $removeHost[0].BoundParameters['VMHost'].ComputerName | Should -Be "hv'02;]"
        $removeHost[0].BoundParameters['Force'] | Should -BeTrue
        $removeHost[0].WhatIf | Should -BeFalse
        $removeVM = @(Get-VmmStubCall -CommandName Remove-SCVirtualMachine)
        $removeVM.Count | Should -Be 1
        $removeVM[0].BoundParameters['VM'].Name | Should -Be "vm'gone]"
        $removeVM[0].BoundParameters['Force'] | Should -BeTrue

        $results[2].Message | Should -Match ([regex]::Escape("Add-SCVMHost -ComputerName 'hv''03;]' -Credential (Get-Credential)"))
        $results[3].Message | Should -Match ([regex]::Escape("Read-SCVMHost -VMHost (Get-SCVMHost -ComputerName 'hv01')"))
        Get-VmmStubCall -CommandName Add-SCVMHost | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $results = @($differences | Sync-VmmInventory -VMMServer vmm01 -WhatIf)
        Get-VmmMutatingCall | Should -BeNullOrEmpty
        @($results | Where-Object State -EQ 'Succeeded').Count | Should -Be 0
    }

    It 'skips an object whose state changed since the comparison' {
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost "hv'02;]" -State Responding }
        $result = New-Difference Remove Host "hv'02;]" | Sync-VmmInventory -VMMServer vmm01 -Confirm:$false
        $result.State | Should -Be 'Skipped'
        $result.Message | Should -Match 'now shows Responding'
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }

    It 'skips an object VMM no longer lists' {
        $result = New-Difference Remove VirtualMachine 'ghost' 'hv01' | Sync-VmmInventory -VMMServer vmm01 -Confirm:$false
        $result.State | Should -Be 'Skipped'
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }

    It 'reports a failed removal as Failed with an error and goes on' {
        Set-VmmStubBehavior Remove-SCVMHost { throw 'Error (406): the host is in use by a job.' }
        $results = @($differences | Sync-VmmInventory -VMMServer vmm01 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue)
        $results[0].State | Should -Be 'Failed'
        $results[0].Message | Should -Match 'Error \(406\)'
        $results[1].State | Should -Be 'Succeeded'
        @($errors | Where-Object { "$_" -match 'Cannot remove Host' }).Count | Should -Be 1
    }

    It 'rejects input that is not an inventory difference' {
        $result = [pscustomobject]@{ Name = 'x' } | Sync-VmmInventory -VMMServer vmm01 -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        "$($errors[-1])" | Should -Match 'Not an inventory difference'
    }
}
