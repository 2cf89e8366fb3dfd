BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\vmmadmin', (ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force)
}

AfterAll { Remove-VmmTestModule }

Describe 'Switch-VmmLibraryServer' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCLibraryServer {
            param($Call)
            $all = @(New-VmmStubObject LibraryServer @{ Name = 'vmm01.contoso.test'; ComputerName = 'vmm01.contoso.test' })
            $all | Where-Object { $_.ComputerName -eq $Call.BoundParameters['ComputerName'] }
        }
        Set-VmmStubBehavior Add-SCLibraryServer { param($Call) New-VmmStubObject LibraryServer @{ ComputerName = $Call.BoundParameters['ComputerName'] } }
        Set-VmmStubBehavior Get-SCVMMManagedComputer {
            param($Call)
            if ($Call.BoundParameters['ComputerName'] -eq "lib'01;]") { New-VmmStubObject VMMManagedComputer @{ Name = "lib'01;]"; FQDN = "lib'01;]"; State = 'AccessDenied' } }
        }
    }

    It 'removes the original library server, then adds the new computer' {
        $result = Switch-VmmLibraryServer -OldComputerName 'vmm01.contoso.test' -NewComputerName 'vmm02.contoso.test' -Credential $credential -VMMServer vmm02 -Confirm:$false
        { Assert-VmmOutputSchema $result 'Switch-VmmLibraryServer' } | Should -Not -Throw
        $result.State | Should -Be 'Succeeded'
        $result.Removed | Should -Be 'vmm01.contoso.test'
        $result.Added | Should -Be 'vmm02.contoso.test'
        $mutating = @(Get-VmmMutatingCall)
        $mutating.CommandName | Should -Be @('Remove-SCLibraryServer', 'Add-SCLibraryServer')
        $mutating[0].BoundParameters['LibraryServer'].ComputerName | Should -Be 'vmm01.contoso.test'
        $mutating[0].BoundParameters['Credential'] | Should -Be $credential
        $mutating[1].BoundParameters['ComputerName'] | Should -Be 'vmm02.contoso.test'
        $mutating[1].BoundParameters['Credential'] | Should -Be $credential
    }

    It 'gives the exact command when adding the new computer fails after the removal' {
        Set-VmmStubBehavior Add-SCLibraryServer { throw 'Error (410): agent installation failed.' }
        $result = Switch-VmmLibraryServer -OldComputerName 'vmm01.contoso.test' -NewComputerName "vmm'02;]" -Credential $credential -VMMServer vmm02 -Confirm:$false -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Failed'
        $result.Removed | Should -Be 'vmm01.contoso.test'
        $result.Added | Should -BeNullOrEmpty
        $result.Message | Should -Match ([regex]::Escape("Add-SCLibraryServer -ComputerName 'vmm''02;]' -Credential (Get-Credential)"))
    }

    It 'adds nothing when the removal fails' {
        Set-VmmStubBehavior Remove-SCLibraryServer { throw 'Error (2606): the share is in use.' }
        $result = Switch-VmmLibraryServer -OldComputerName 'vmm01.contoso.test' -NewComputerName 'vmm02.contoso.test' -Credential $credential -VMMServer vmm02 -Confirm:$false -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Failed'
        Get-VmmStubCall -CommandName Add-SCLibraryServer | Should -BeNullOrEmpty
    }

    It 'refuses an unknown original library server and the same name twice' {
        { Switch-VmmLibraryServer -OldComputerName 'old' -NewComputerName 'new' -Credential $credential -VMMServer vmm02 } | Should -Throw "*does not list 'old' as a library server*"
        { Switch-VmmLibraryServer -OldComputerName 'lib01' -NewComputerName 'lib01' -Credential $credential -VMMServer vmm02 } | Should -Throw '*-SameName*'
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }

    It 'with -SameName reassociates the restored computer (after the agent is installed locally)' {
        $result = Switch-VmmLibraryServer -ComputerName "lib'01;]" -SameName -Credential $credential -VMMServer vmm01 -Confirm:$false
        { Assert-VmmOutputSchema $result 'Switch-VmmLibraryServer' } | Should -Not -Throw
        $result.State | Should -Be 'Succeeded'
        $result.Removed | Should -BeNullOrEmpty
        $result.Added | Should -Be "lib'01;]"
        $result.Message | Should -Match 'Install the VMM agent locally'
        $call = @(Get-VmmStubCall -CommandName Register-SCVMMManagedComputer)
        $call.Count | Should -Be 1
        $call[0].BoundParameters['VMMManagedComputer'].Name | Should -Be "lib'01;]"
        Get-VmmStubCall -CommandName Remove-SCLibraryServer | Should -BeNullOrEmpty
    }

    It 'with -SameName says to install the agent when reassociation fails' {
        Set-VmmStubBehavior Register-SCVMMManagedComputer { throw 'Error (2916): no VMM agent answers.' }
        $result = Switch-VmmLibraryServer -ComputerName "lib'01;]" -SameName -Credential $credential -VMMServer vmm01 -Confirm:$false -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Failed'
        $result.Message | Should -Match 'Install the VMM agent locally'
        $result.Message | Should -Match ([regex]::Escape("Switch-VmmLibraryServer -ComputerName 'lib''01;]' -SameName"))
    }

    It 'with -SameName refuses a computer VMM does not manage' {
        { Switch-VmmLibraryServer -ComputerName 'ghost' -SameName -Credential $credential -VMMServer vmm01 } | Should -Throw '*does not list*-OldComputerName*'
    }

    It 'changes nothing with -WhatIf' {
        Switch-VmmLibraryServer -OldComputerName 'vmm01.contoso.test' -NewComputerName 'vmm02.contoso.test' -Credential $credential -VMMServer vmm02 -WhatIf | Should -BeNullOrEmpty
        Switch-VmmLibraryServer -ComputerName "lib'01;]" -SameName -Credential $credential -VMMServer vmm01 -WhatIf | Should -BeNullOrEmpty
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }
}
